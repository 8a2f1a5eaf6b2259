import { strToU8, zipSync } from 'fflate';
import type { Client } from 'urql';
import { graphql } from '../../graphql/graphql.ts';
import { downloadBlob } from '../live/downloadBlob.ts';

const ModelArtifactsQuery = graphql(`
  query ModelArtifacts($id: ID!) {
    model(id: $id) {
      id
      name
      artifacts {
        modelJson
        weightsBase64
      }
    }
  }
`);

/**
 * Downloads a model in TF.js layers format as one zip (model.json + weights.bin, the paths its manifest
 * names), loadable with `tf.loadLayersModel('…/model.json')` once unpacked.
 */
export async function downloadModel(client: Client, modelId: string): Promise<void> {
  const result = await client
    .query(ModelArtifactsQuery, { id: modelId }, { requestPolicy: 'network-only' })
    .toPromise();
  if (result.error) throw new Error(result.error.message);
  const model = result.data?.model;
  if (!model) throw new Error(`model ${modelId} not found`);
  const weights = Uint8Array.from(atob(model.artifacts.weightsBase64), (c) => c.charCodeAt(0));
  const zip = zipSync({ 'model.json': strToU8(model.artifacts.modelJson), 'weights.bin': weights });
  const safeName = model.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
  downloadBlob(zip as Uint8Array<ArrayBuffer>, 'application/zip', `${safeName}.tfjs.zip`);
}
