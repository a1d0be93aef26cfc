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
/** What a grpc-js client constructor takes: the address, credentials and options. */
export interface Target {
    address: string;
    credentials: grpc.ChannelCredentials;
    options: grpc.ClientOptions;
}
/** The connection options resolved against the environment. */
export declare function target(o?: ConnectionOptions): Target;
