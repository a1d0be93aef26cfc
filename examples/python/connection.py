"""How the example Python agent and client reach a server: the address, the
API key and TLS, with the same flags and environment variables as the
orchestrator CLI (--server, --api-key, --tls-ca, --tls-cert, --tls-key,
--tls-domain; ORCHESTRATOR_SERVER, ORCHESTRATOR_API_KEY, ORCHESTRATOR_TLS_CA,
ORCHESTRATOR_CLIENT_CERT, ORCHESTRATOR_CLIENT_KEY).

An API key sent without TLS to a host other than this machine travels in
clear: `open_channel` warns about it.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import grpc

def open_channel(args: argparse.Namespace) -> grpc.Channel:
    """A channel to --server: TLS when the address is https:// or a TLS file is
    given (--tls-ca to trust a private CA, --tls-cert/--tls-key for a client
    certificate), with --api-key sent as `authorization: Bearer KEY` on every call."""
    target = args.server.removeprefix("http://").removeprefix("https://")
    tls = args.server.startswith("https://") or args.tls_ca or args.tls_cert
    if tls:
        def read(path: str | None) -> bytes | None:
            return Path(path).read_bytes() if path else None
        creds = grpc.ssl_channel_credentials(root_certificates=read(args.tls_ca),
                                             private_key=read(args.tls_key),
                                             certificate_chain=read(args.tls_cert))
        options = [("grpc.ssl_target_name_override", args.tls_domain)] if args.tls_domain else []
        channel = grpc.secure_channel(target, creds, options=options)
    else:
        channel = grpc.insecure_channel(target)
    if args.api_key:
        host = target.rsplit(":", 1)[0].strip("[]")
        if not tls and host not in ("127.0.0.1", "localhost", "::1"):
            print(f"warning: the API key goes to {target} in clear; use https:// or --tls-ca", file=sys.stderr)
        channel = grpc.intercept_channel(channel, _BearerKey(args.api_key))
    return channel


class _BearerKey(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds `authorization: Bearer KEY` to every call."""

    def __init__(self, key: str) -> None:
        self._header = ("authorization", f"Bearer {key}")

    def _with_key(self, details: Any) -> Any:
        metadata = list(details.metadata or []) + [self._header]
        return details._replace(metadata=metadata)

    def intercept_unary_unary(self, continuation, client_call_details, request):  # noqa: ANN001
        return continuation(self._with_key(client_call_details), request)

    def intercept_unary_stream(self, continuation, client_call_details, request):  # noqa: ANN001
        return continuation(self._with_key(client_call_details), request)


def add_connection_args(p: argparse.ArgumentParser) -> None:
    """--server, --api-key and the TLS flags, as the orchestrator CLI has them."""
    p.add_argument("--server", default=os.environ.get("ORCHESTRATOR_SERVER", "127.0.0.1:50051"),
                   help="host:port (http:// is accepted; https:// means TLS) [env ORCHESTRATOR_SERVER]")
    p.add_argument("--api-key", default=os.environ.get("ORCHESTRATOR_API_KEY"),
                   help="send 'authorization: Bearer KEY' (servers with auth) [env ORCHESTRATOR_API_KEY]")
    p.add_argument("--tls-ca", default=os.environ.get("ORCHESTRATOR_TLS_CA"), metavar="PEM",
                   help="speak TLS and trust this CA instead of the system's roots [env ORCHESTRATOR_TLS_CA]")
    p.add_argument("--tls-cert", default=os.environ.get("ORCHESTRATOR_CLIENT_CERT"), metavar="PEM",
                   help="client certificate, for servers that require one (with --tls-key)")
    p.add_argument("--tls-key", default=os.environ.get("ORCHESTRATOR_CLIENT_KEY"), metavar="PEM",
                   help="the client certificate's private key")
    p.add_argument("--tls-domain", help="the name the server's certificate carries, if not the host of --server")
