"""How the SDK reaches a server: its address, the API key and TLS."""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any, List, NamedTuple, Optional, Tuple

import grpc

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class _Target(NamedTuple):
    address: str
    credentials: Optional[grpc.ChannelCredentials]
    options: List[Tuple[str, Any]]
    api_key: Optional[str]


def _target(server: Optional[str], api_key: Optional[str], tls_ca: Optional[str], tls_cert: Optional[str],
            tls_key: Optional[str], tls_domain: Optional[str]) -> _Target:
    """The arguments, with the environment standing in for those unset."""
    server = server or os.environ.get("ORCHESTRATOR_SERVER", "127.0.0.1:50051")
    api_key = api_key if api_key is not None else os.environ.get("ORCHESTRATOR_API_KEY")
    tls_ca = tls_ca or os.environ.get("ORCHESTRATOR_TLS_CA")
    tls_cert = tls_cert or os.environ.get("ORCHESTRATOR_CLIENT_CERT")
    tls_key = tls_key or os.environ.get("ORCHESTRATOR_CLIENT_KEY")
    address = server.removeprefix("http://").removeprefix("https://")
    options: List[Tuple[str, Any]] = [("grpc.max_receive_message_length", 16 * 1024 * 1024)]
    credentials = None
    if server.startswith("https://") or tls_ca or tls_cert:
        def read(path: Optional[str]) -> Optional[bytes]:
            return Path(path).read_bytes() if path else None
        credentials = grpc.ssl_channel_credentials(root_certificates=read(tls_ca), private_key=read(tls_key),
                                                   certificate_chain=read(tls_cert))
        if tls_domain:
            options.append(("grpc.ssl_target_name_override", tls_domain))
    elif api_key and address.rsplit(":", 1)[0].strip("[]") not in LOCAL_HOSTS:
        warnings.warn(f"the API key goes to {address} in clear; use https:// or tls_ca", stacklevel=3)
    return _Target(address, credentials, options, api_key or None)


def open_channel(server: Optional[str] = None, api_key: Optional[str] = None, *, tls_ca: Optional[str] = None,
                 tls_cert: Optional[str] = None, tls_key: Optional[str] = None,
                 tls_domain: Optional[str] = None) -> grpc.Channel:
    """A channel to `server` (host:port; `https://` or any TLS file means TLS),
    sending `api_key` as `authorization: Bearer KEY` on every call. Unset
    arguments come from ORCHESTRATOR_SERVER, ORCHESTRATOR_API_KEY,
    ORCHESTRATOR_TLS_CA, ORCHESTRATOR_CLIENT_CERT and ORCHESTRATOR_CLIENT_KEY,
    as the orchestrator CLI reads them."""
    t = _target(server, api_key, tls_ca, tls_cert, tls_key, tls_domain)
    if t.credentials is not None:
        channel = grpc.secure_channel(t.address, t.credentials, options=t.options)
    else:
        channel = grpc.insecure_channel(t.address, options=t.options)
    if t.api_key:
        channel = grpc.intercept_channel(channel, _BearerKey(t.api_key))
    return channel


def aio_channel(server: Optional[str] = None, api_key: Optional[str] = None, *, tls_ca: Optional[str] = None,
                tls_cert: Optional[str] = None, tls_key: Optional[str] = None,
                tls_domain: Optional[str] = None) -> Tuple[Any, List[Tuple[str, str]]]:
    """`open_channel` for asyncio (grpc.aio), with the same arguments: the
    channel, and the metadata each call sends (the API key)."""
    from grpc import aio

    t = _target(server, api_key, tls_ca, tls_cert, tls_key, tls_domain)
    metadata = [("authorization", f"Bearer {t.api_key}")] if t.api_key else []
    if t.credentials is not None:
        return aio.secure_channel(t.address, t.credentials, options=t.options), metadata
    return aio.insecure_channel(t.address, options=t.options), metadata


class _BearerKey(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds `authorization: Bearer KEY` to every call."""

    def __init__(self, key: str) -> None:
        self._header = ("authorization", f"Bearer {key}")

    def _with_key(self, details: Any) -> Any:
        return details._replace(metadata=list(details.metadata or []) + [self._header])

    def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        return continuation(self._with_key(details), request)

    def intercept_unary_stream(self, continuation: Any, details: Any, request: Any) -> Any:
        return continuation(self._with_key(details), request)
