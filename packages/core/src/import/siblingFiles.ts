/** Files next to the model file: a folder on disk, or the other files of an upload. */
export interface SiblingFiles {
  /** Size in bytes, or undefined when there is no such file. `name` is relative, without `./`. */
  size(name: string): Promise<number | undefined>;
  read(name: string): Promise<Uint8Array>;
}
