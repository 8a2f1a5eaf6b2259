/**
 * How often an executing run publishes a live step (with its input image): ~30 a second, the most any one
 * subscriber is sent. Subscribers' throttles know it so that they can wait for the next step instead of
 * sending one that is up to this old.
 */
export const PUBLISH_INTERVAL_MS = 33;
