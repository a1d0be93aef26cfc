//! A real HTTP server standing in for an OpenAI-compatible chat-completions API,
//! answering from a script and recording every request body.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

/// What the fake answers to one request.
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub retry_after: Option<u64>,
    pub delay: Duration,
    pub raw: Option<String>,
}

impl Reply {
    /// A chat completion with this content and usage.
    pub fn answer(content: &str, prompt_tokens: i64, completion_tokens: i64) -> Reply {
        Reply {
            status: 200,
            body: json!({
                "id": "chatcmpl-test", "object": "chat.completion", "model": "fake",
                "choices": [{ "index": 0, "message": { "role": "assistant", "content": content }, "finish_reason": "stop" }],
                "usage": { "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens }
            }),
            retry_after: None,
            delay: Duration::ZERO,
            raw: None,
        }
    }

    /// An error status.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            body: json!({ "error": { "message": "scripted failure" } }),
            retry_after: None,
            delay: Duration::ZERO,
            raw: None,
        }
    }
}

type Script = Arc<dyn Fn(&Value, usize) -> Reply + Send + Sync>;

#[derive(Clone)]
struct Shared {
    script: Script,
    requests: Arc<Mutex<Vec<Value>>>,
}

/// The fake server.
pub struct FakeLlm {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Value>>>,
    handle: tokio::task::JoinHandle<()>,
}

async fn chat(State(s): State<Shared>, Json(body): Json<Value>) -> Response {
    let n = {
        let mut r = s.requests.lock().expect("lock");
        r.push(body.clone());
        r.len() - 1
    };
    let reply = (s.script)(&body, n);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut headers = HeaderMap::new();
    if let Some(secs) = reply.retry_after {
        headers.insert("retry-after", HeaderValue::from_str(&secs.to_string()).expect("header"));
    }
    let status = StatusCode::from_u16(reply.status).expect("status");
    let sse = HeaderValue::from_static("text/event-stream");
    match reply.raw {
        Some(raw) if raw.starts_with("data:") => {
            headers.insert("content-type", sse);
            (status, headers, raw).into_response()
        }
        Some(raw) => (status, headers, raw).into_response(),
        // Asked to stream, a real server sends the answer as events.
        None if body["stream"] == true && status.is_success() => {
            headers.insert("content-type", sse);
            (status, headers, as_events(&reply.body)).into_response()
        }
        None => (status, headers, Json(reply.body)).into_response(),
    }
}

/// A chat completion as server-sent events: the content in two deltas, the
/// finish reason, then the usage (when the completion has one) and `[DONE]`.
fn as_events(completion: &Value) -> String {
    let choice = &completion["choices"][0];
    let content = choice["message"]["content"].as_str().unwrap_or("");
    let half = content.char_indices().map(|(i, _)| i).nth(content.chars().count() / 2).unwrap_or(content.len());
    let chunk = |delta: Value, finish: Value| {
        json!({"object": "chat.completion.chunk", "model": completion["model"],
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
    };
    let mut events = Vec::new();
    if choice.is_object() {
        events.push(chunk(json!({"role": "assistant", "content": &content[..half]}), Value::Null));
        events.push(chunk(json!({"content": &content[half..]}), Value::Null));
        events.push(chunk(json!({}), choice["finish_reason"].clone()));
    }
    if completion["usage"].is_object() {
        events.push(json!({"object": "chat.completion.chunk", "choices": [], "usage": completion["usage"]}));
    }
    let mut out: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
    out.push_str("data: [DONE]\n\n");
    out
}

impl FakeLlm {
    /// A client of this server: `model: m` and the given YAML settings.
    #[allow(dead_code)]
    pub fn client(&self, settings: &str) -> orchestrator::llm::LlmClient {
        let cfg: orchestrator::llm::ModelConfig =
            serde_yaml_ng::from_str(&format!("base_url: {}\nmodel: m\n{settings}", self.base_url())).expect("config");
        orchestrator::llm::LlmClient::new(cfg).expect("client")
    }

    pub async fn start(script: impl Fn(&Value, usize) -> Reply + Send + Sync + 'static) -> FakeLlm {
        let requests: Arc<Mutex<Vec<Value>>> = Arc::default();
        let shared = Shared { script: Arc::new(script), requests: requests.clone() };
        let app = Router::new().route("/v1/chat/completions", post(chat)).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let handle = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeLlm { addr, requests, handle }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

/// The concatenated message contents of a request.
pub fn prompt_text(body: &Value) -> String {
    body["messages"]
        .as_array()
        .map(|m| m.iter().filter_map(|x| x["content"].as_str()).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default()
}

/// Whether a request is the planner's.
pub fn is_planner(body: &Value) -> bool {
    prompt_text(body).contains("You are the planner")
}
