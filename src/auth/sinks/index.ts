export { type DhEnvelope, DhEncryptor, rawPublicKey, sharedKey, x25519PublicKey } from "./dh.ts";
export {
  DEFAULT_SINK_MODE,
  FileSink,
  type FileSinkOptions,
  parseFileSinkConfig,
  SinkConfigError,
} from "./file.ts";
export { SinkServer, type SinkServerDeps } from "./server.ts";
export { type CreateSinkOptions, createSink, type TokenSink, writeToSink } from "./sink.ts";
