// How the SDK reaches a server: its address, the API key and TLS, with the
// same environment variables as the orchestrator CLI standing in for what is unset.

import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';

export interface ConnectionOptions {
  /** host:port; `https://` (or any TLS file) means TLS. Default: ORCHESTRATOR_SERVER, else 127.0.0.1:50051. */
  server?: string;
  /** An API key, sent as `authorization: Bearer KEY`. Default: ORCHESTRATOR_API_KEY. */
  apiKey?: string;
  /** The CA that signed the server's certificate (PEM file). Default: ORCHESTRATOR_TLS_CA. */
  tlsCa?: string;
  /** A client certificate for mutual TLS (PEM file). Default: ORCHESTRATOR_CLIENT_CERT. */
  tlsCert?: string;
  /** Its private key (PEM file). Default: ORCHESTRATOR_CLIENT_KEY. */
  tlsKey?: string;
  /** The name the server's certificate is checked against, when it is not the address's host. */
  tlsDomain?: string;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const MAX_MESSAGE = 16 * 1024 * 1024;

/** What a grpc-js client constructor takes: the address, credentials and options. */
export interface Target {
  address: string;
  credentials: grpc.ChannelCredentials;
  options: grpc.ClientOptions;
}

/** The connection options resolved against the environment. */
export function target(o: ConnectionOptions = {}): Target {
  const env = process.env;
  const server = o.server || env.ORCHESTRATOR_SERVER || '127.0.0.1:50051';
  const apiKey = o.apiKey ?? env.ORCHESTRATOR_API_KEY ?? '';
  const tlsCa = o.tlsCa || env.ORCHESTRATOR_TLS_CA;
  const tlsCert = o.tlsCert || env.ORCHESTRATOR_CLIENT_CERT;
  const tlsKey = o.tlsKey || env.ORCHESTRATOR_CLIENT_KEY;
  const address = server.replace(/^https?:\/\//, '');
  const options: grpc.ClientOptions = {
    'grpc.max_receive_message_length': MAX_MESSAGE,
    'grpc.keepalive_time_ms': 30_000,
  };
  let credentials: grpc.ChannelCredentials;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    // grpc-js would fall back to TLS without a client certificate, and the server's refusal would not say why.
    throw new Error('mutual TLS needs both a client certificate (tlsCert) and its key (tlsKey)');
  }
  if (server.startsWith('https://') || tlsCa || tlsCert || tlsKey) {
    const read = (p?: string) => (p ? fs.readFileSync(p) : null);
    credentials = grpc.credentials.createSsl(read(tlsCa), read(tlsKey), read(tlsCert));
    if (o.tlsDomain) options['grpc.ssl_target_name_override'] = o.tlsDomain;
  } else {
    credentials = grpc.credentials.createInsecure();
    const host = address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (apiKey && !LOCAL_HOSTS.has(host)) {
      process.emitWarning(`the API key goes to ${address} in clear; use https:// or tlsCa`, 'OrchestratorSecurityWarning');
    }
  }
  if (apiKey) options.interceptors = [bearer(apiKey)];
  return { address, credentials, options };
}

/** Adds `authorization: Bearer KEY` to every call (call credentials need TLS in grpc-js; the server may run without). */
function bearer(key: string): grpc.Interceptor {
  return (options, next) =>
    new grpc.InterceptingCall(next(options), {
      start(metadata, listener, start) {
        metadata.set('authorization', `Bearer ${key}`);
        start(metadata, listener);
      },
    });
}
