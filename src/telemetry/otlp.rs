//! Export of finished runs' traces over OTLP/gRPC to any collector (Jaeger,
//! Tempo, the OpenTelemetry Collector), configured by the standard variables:
//! `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT`,
//! `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`.
//!
//! A run's trace is sent once the run is terminal, in batches, by a background
//! loop that never blocks the engine; a collector that is down delays the
//! export (it is retried), it never loses the trace, which stays in the store.

use std::sync::Arc;
use std::time::Duration;

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_client::TraceServiceClient;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, ArrayValue, InstrumentationScope, KeyValue};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{span, ResourceSpans, ScopeSpans, Span, Status};
use serde_json::Value;

use crate::engine::trace::{assemble, TraceSpan};
use crate::engine::Engine;
use crate::store;

/// Where and how traces are exported.
#[derive(Debug, Clone)]
pub struct OtlpConfig {
    /// The collector's gRPC endpoint, e.g. `http://localhost:4317`.
    pub endpoint: String,
    /// Extra request headers (e.g. an API key of a hosted collector).
    pub headers: Vec<(String, String)>,
    /// `service.name`.
    pub service_name: String,
    /// Further resource attributes.
    pub resource: Vec<(String, String)>,
}

fn pairs(v: &str) -> Vec<(String, String)> {
    v.split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

impl OtlpConfig {
    /// From the standard environment variables; None when no endpoint is set.
    pub fn from_env() -> Option<OtlpConfig> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let endpoint = var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").or_else(|| var("OTEL_EXPORTER_OTLP_ENDPOINT"))?;
        if let Some(p) = var("OTEL_EXPORTER_OTLP_PROTOCOL").filter(|p| p != "grpc") {
            tracing::warn!(protocol = %p, "only OTLP over gRPC is supported; exporting with grpc");
        }
        let headers = var("OTEL_EXPORTER_OTLP_HEADERS").map(|h| pairs(&h)).unwrap_or_default();
        Some(OtlpConfig {
            endpoint,
            headers,
            service_name: var("OTEL_SERVICE_NAME").unwrap_or_else(|| "orchestrator".into()),
            resource: var("OTEL_RESOURCE_ATTRIBUTES").map(|r| pairs(&r)).unwrap_or_default(),
        })
    }
}

fn any(v: &Value) -> AnyValue {
    let value = match v {
        Value::Bool(b) => any_value::Value::BoolValue(*b),
        Value::Number(n) if n.is_i64() => any_value::Value::IntValue(n.as_i64().unwrap_or(0)),
        Value::Number(n) => any_value::Value::DoubleValue(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => any_value::Value::StringValue(s.clone()),
        Value::Array(a) => any_value::Value::ArrayValue(ArrayValue { values: a.iter().map(any).collect() }),
        other => any_value::Value::StringValue(other.to_string()),
    };
    AnyValue { value: Some(value) }
}

fn kv(key: &str, v: &Value) -> KeyValue {
    KeyValue { key: key.to_string(), value: Some(any(v)), ..Default::default() }
}

fn id_bytes(hex_id: &str) -> Vec<u8> {
    hex::decode(hex_id).unwrap_or_default()
}

/// A stored span as an OTLP span.
pub fn to_otlp(t: &TraceSpan) -> Span {
    let s = &t.span;
    let attributes: serde_json::Map<String, Value> = serde_json::from_str(&s.attributes_json).unwrap_or_default();
    Span {
        trace_id: id_bytes(&s.trace_id),
        span_id: id_bytes(&s.span_id),
        parent_span_id: s.parent_span_id.as_deref().map(id_bytes).unwrap_or_default(),
        name: s.name.clone(),
        kind: span::SpanKind::Internal as i32,
        start_time_unix_nano: (s.start_time.max(0) as u64) * 1000,
        end_time_unix_nano: (s.end_time.unwrap_or(s.start_time).max(0) as u64) * 1000,
        attributes: attributes.iter().map(|(k, v)| kv(k, v)).collect(),
        events: t
            .events
            .iter()
            .map(|e| span::Event {
                time_unix_nano: (e.time.max(0) as u64) * 1000,
                name: e.name.clone(),
                attributes: e.attributes.iter().map(|(k, v)| kv(k, v)).collect(),
                ..Default::default()
            })
            .collect(),
        status: Some(Status {
            message: s.status_message.clone(),
            code: match s.status_code.as_str() {
                "ok" => 1,
                "error" => 2,
                _ => 0,
            },
        }),
        ..Default::default()
    }
}

/// Exports finished runs' traces until the returned future is dropped.
pub async fn run_exporter(engine: Arc<Engine>, cfg: OtlpConfig) {
    let mut resource = vec![
        kv("service.name", &Value::String(cfg.service_name.clone())),
        kv("service.version", &Value::String(env!("CARGO_PKG_VERSION").into())),
    ];
    resource.extend(cfg.resource.iter().map(|(k, v)| kv(k, &Value::String(v.clone()))));
    let mut client: Option<TraceServiceClient<tonic::transport::Channel>> = None;
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let runs = match engine.store().read(|c| store::runs_to_export(c, 20)).await {
            Ok(r) if !r.is_empty() => r,
            Ok(_) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "trace export: cannot read runs");
                continue;
            }
        };
        let ids: Vec<String> = runs.iter().map(|r| r.id.clone()).collect();
        let parts = match engine
            .store()
            .read(move |c| runs.into_iter().map(|r| store::trace_parts(c, r)).collect::<crate::Result<Vec<_>>>())
            .await
        {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "trace export: cannot read spans");
                continue;
            }
        };
        let spans: Vec<Span> = parts
            .into_iter()
            .flat_map(|p| {
                // The caller's tracestate travels with every span of the run.
                let state = p.run.tracestate.clone().unwrap_or_default();
                assemble(p).into_iter().map(move |t| Span { trace_state: state.clone(), ..to_otlp(&t) })
            })
            .collect();
        let request = ExportTraceServiceRequest {
            resource_spans: vec![ResourceSpans {
                resource: Some(Resource { attributes: resource.clone(), ..Default::default() }),
                scope_spans: vec![ScopeSpans {
                    scope: Some(InstrumentationScope {
                        name: "orchestrator".into(),
                        version: env!("CARGO_PKG_VERSION").into(),
                        ..Default::default()
                    }),
                    spans,
                    ..Default::default()
                }],
                ..Default::default()
            }],
        };
        if client.is_none() {
            match TraceServiceClient::connect(cfg.endpoint.clone()).await {
                Ok(c) => client = Some(c),
                Err(e) => {
                    tracing::warn!(endpoint = %cfg.endpoint, error = %e, "trace export: collector unreachable; retrying");
                    continue;
                }
            }
        }
        let Some(c) = client.as_mut() else { continue };
        let mut req = tonic::Request::new(request);
        for (k, v) in &cfg.headers {
            if let (Ok(k), Ok(v)) = (k.parse::<tonic::metadata::MetadataKey<tonic::metadata::Ascii>>(), v.parse()) {
                req.metadata_mut().insert(k, v);
            }
        }
        match c.export(req).await {
            Ok(_) => {
                let n = ids.len();
                // One transaction per run: no transaction waits for a run's lock while
                // holding another's (ARCHITECTURE.md, lock order).
                let mut marked = 0;
                for id in ids {
                    match engine.store().write(move |tx| store::mark_exported(tx, std::slice::from_ref(&id))).await {
                        Ok(()) => marked += 1,
                        Err(e) => tracing::warn!(error = %e, "trace export: sent but not marked"),
                    }
                }
                tracing::debug!(runs = n, marked, "traces exported");
            }
            Err(e) => {
                tracing::warn!(error = %e, "trace export failed; retrying");
                client = None;
            }
        }
    }
}
