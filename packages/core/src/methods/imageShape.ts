import { InvalidArgumentError } from '../errors.ts';

/** Height, width and channels of an image input (channels last). */
export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** `[H, W]` or `[H, W, C]` (channels last, C ≤ 4) inputs are images; anything else is not. */
export function imageShapeOf(inputShape: number[]): ImageShape | undefined {
  const [height, width, channels = 1] = inputShape;
  if (inputShape.length < 2 || inputShape.length > 3 || channels > 4) return undefined;
  if (height! < 2 || width! < 2) return undefined;
  return { height: height!, width: width!, channels };
}

/** The image shape, or InvalidArgumentError naming the option that needs an image. */
export function requireImage(inputShape: number[], argument: string, received: unknown): ImageShape {
  const image = imageShapeOf(inputShape);
  if (!image) {
    throw new InvalidArgumentError(
      argument,
      received,
      `an option for image inputs [H, W] or [H, W, C]; this model's input is [${inputShape.join(', ')}]`,
    );
  }
  return image;
}
