//! One client for OpenAI-compatible chat-completions APIs (OpenAI, vLLM,
//! Ollama, llama.cpp server, LiteLLM).
//!
//! Retries (via `backon`): connection errors, timeouts, 429 and 5xx, with
//! exponential backoff and jitter, honouring `Retry-After`. Structured
//! output: `json_schema` response format where the server supports it,
//! `json_object` (JSON mode, with the schema attached, as llama.cpp accepts)
//! where it does not, or the schema in the prompt only; every answer is
//! validated by the caller either way. The API key is read from the
//! environment variable the config names, sent only in the Authorization
//! header, and never logged (the config's Debug shows only the variable name).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::domain::Usage;

/// How structured output is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum StructuredOutput {
    /// `response_format: {"type": "json_schema", …}` (OpenAI, vLLM).
    #[default]
    JsonSchema = 0,
    /// `response_format: {"type": "json_object", "schema": …}` (llama.cpp, Ollama).
    JsonObject = 1,
    /// No response format; the schema is described in the prompt.
    Prompt = 2,
}

fn default_timeout() -> Duration {
    Duration::from_secs(120)
}

fn default_retries() -> u32 {
    3
}

fn default_stream() -> bool {
    true
}

/// One model endpoint.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// Base URL up to `/v1`, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8088/v1`.
    pub base_url: String,
    /// The model name sent in requests.
    pub model: String,
    /// Name of the environment variable holding the API key (none: no key sent).
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// Per-request timeout.
    #[serde(default = "default_timeout", with = "humantime_serde_compat")]
    pub timeout: Duration,
    /// Retries after the first try.
    #[serde(default = "default_retries")]
    pub max_retries: u32,
    /// How structured output is asked for.
    #[serde(default)]
    pub structured_output: StructuredOutput,
    /// `max_tokens` per call (none: the server's default).
    #[serde(default)]
    pub max_tokens: Option<u32>,
    /// US dollars per million prompt tokens.
    #[serde(default)]
    pub prompt_price_per_mtok: f64,
    /// US dollars per million completion tokens.
    #[serde(default)]
    pub completion_price_per_mtok: f64,
    /// Sampling temperature (none: the server's default, often 0.8 on local servers).
    #[serde(default)]
    pub temperature: Option<f64>,
    /// Nucleus sampling (none: the server's default).
    #[serde(default)]
    pub top_p: Option<f64>,
    /// Sampling seed, for reproducible answers where the server honours it.
    #[serde(default)]
    pub seed: Option<i64>,
    /// Ask for the answer as a stream of server-sent events (default true).
    /// A call given up (deadline, cancelled run, shutdown) then stops the
    /// generation at the server too: local servers stop when the stream's
    /// reader goes, but finish an abandoned non-streamed answer first,
    /// holding their only slot. A server that ignores it and answers JSON is
    /// read as JSON.
    #[serde(default = "default_stream")]
    pub stream: bool,
}

impl std::fmt::Debug for ModelConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key_env", &self.api_key_env)
            .field("timeout", &self.timeout)
            .field("structured_output", &self.structured_output)
            .finish_non_exhaustive()
    }
}

mod humantime_serde_compat {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let s = String::deserialize(d)?;
        humantime::parse_duration(&s).map_err(serde::de::Error::custom)
    }
}

impl ModelConfig {
    /// The cost of some usage at this model's prices, in micro-dollars.
    pub fn cost_micros(&self, prompt: i64, completion: i64) -> i64 {
        (prompt as f64 * self.prompt_price_per_mtok + completion as f64 * self.completion_price_per_mtok).round() as i64
    }
}

/// A chat message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// system, user or assistant.
    pub role: &'static str,
    /// The text.
    pub content: String,
}

impl Message {
    /// A system message.
    pub fn system(content: impl Into<String>) -> Self {
        Message { role: "system", content: content.into() }
    }
    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Message { role: "user", content: content.into() }
    }
    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Self {
        Message { role: "assistant", content: content.into() }
    }
}

/// What a call returned.
#[derive(Debug, Clone)]
pub struct ChatResponse {
    /// The answer's text (empty when the server sent none).
    pub content: String,
    /// Tokens used (and their cost at the model's prices).
    pub usage: Usage,
    /// `stop`, `length` (cut at `max_tokens`), …
    pub finish_reason: String,
    /// The model that answered.
    pub model: String,
    /// The server reported no usage: the tokens are estimated from the text
    /// (four bytes a token), so that budgets still hold.
    pub usage_estimated: bool,
}

impl ChatResponse {
    /// Whether the answer stopped at the token limit rather than where the model ended it.
    pub fn was_cut(&self) -> bool {
        self.finish_reason == "length"
    }
}

/// Per-call settings on top of the model's.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallOptions {
    /// `max_tokens` for this call (the smaller one wins when the model sets one too).
    pub max_tokens: Option<u32>,
    /// The call, retries included, gives up at this instant.
    pub deadline: Option<tokio::time::Instant>,
}

/// Why a call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LlmError {
    /// The request could not be sent or timed out (retried).
    #[error("LLM request failed: {0}")]
    Transport(String),
    /// The server answered with an error status.
    #[error("LLM server answered {status}: {body}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        body: String,
        /// Seconds from `Retry-After`.
        retry_after: Option<u64>,
    },
    /// The answer was not a chat completion.
    #[error("LLM answer malformed: {0}")]
    Malformed(String),
    /// Misconfiguration (e.g. the API key variable is unset).
    #[error("LLM misconfigured: {0}")]
    Config(String),
    /// The caller's deadline passed before an answer came (the request is
    /// dropped, which closes its connection).
    #[error("no answer from the LLM within the deadline ({0})")]
    Deadline(String),
}

impl LlmError {
    /// Whether a retry may help.
    pub fn retryable(&self) -> bool {
        match self {
            LlmError::Transport(_) => true,
            LlmError::Status { status, .. } => *status == 429 || *status >= 500,
            LlmError::Malformed(_) | LlmError::Config(_) | LlmError::Deadline(_) => false,
        }
    }

    /// Whether the server refused the structured-output mode itself (a
    /// llama-cpp-python server answers `json_schema` with a 500 that says
    /// "Input should be 'text' or 'json_object'"; others a 400 or 422 naming
    /// `response_format`).
    fn refuses_response_format(&self) -> bool {
        match self {
            LlmError::Status { status: 400 | 422 | 500, body, .. } => {
                let b = body.to_ascii_lowercase();
                b.contains("response_format") || b.contains("json_schema") || b.contains("json_object")
            }
            _ => false,
        }
    }
}

/// A client for one model.
#[derive(Clone)]
pub struct LlmClient {
    http: reqwest::Client,
    config: ModelConfig,
    /// The structured-output mode in use: the configured one until the server
    /// refuses it, then the next one down (json_schema → json_object → prompt),
    /// shared by the clones of this client.
    mode: Arc<AtomicU8>,
}

fn mode_of(code: u8) -> StructuredOutput {
    match code {
        0 => StructuredOutput::JsonSchema,
        1 => StructuredOutput::JsonObject,
        _ => StructuredOutput::Prompt,
    }
}

/// Tokens estimated from a text when the server reports none.
fn estimated_tokens(bytes: usize) -> i64 {
    bytes.div_ceil(4) as i64
}

impl LlmClient {
    /// A client for a model.
    pub fn new(config: ModelConfig) -> Result<LlmClient, LlmError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| LlmError::Config(format!("HTTP client: {e}")))?;
        let mode = Arc::new(AtomicU8::new(config.structured_output as u8));
        Ok(LlmClient { http, config, mode })
    }

    /// The model's configuration.
    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// The structured-output mode in use now.
    pub fn structured_output(&self) -> StructuredOutput {
        mode_of(self.mode.load(Ordering::Relaxed))
    }

    /// One chat completion (retried as the module doc says). With a schema,
    /// the answer is asked for as JSON of that schema.
    pub async fn chat(&self, messages: &[Message], schema: Option<&Value>) -> Result<ChatResponse, LlmError> {
        self.chat_with(messages, schema, CallOptions::default()).await
    }

    /// [`chat`](Self::chat) with per-call options. A server that refuses the
    /// structured-output mode is asked again at once in the next mode down,
    /// which this client keeps using (logged once).
    pub async fn chat_with(
        &self,
        messages: &[Message],
        schema: Option<&Value>,
        options: CallOptions,
    ) -> Result<ChatResponse, LlmError> {
        loop {
            let mode = self.structured_output();
            let call = self.chat_in_mode(messages, schema, options, mode);
            let result = match options.deadline {
                Some(at) => match tokio::time::timeout_at(at, call).await {
                    Ok(r) => r,
                    Err(_) => return Err(LlmError::Deadline(format!("model {}", self.config.model))),
                },
                None => call.await,
            };
            match result {
                Err(e) if schema.is_some() && mode != StructuredOutput::Prompt && e.refuses_response_format() => {
                    let next = mode_of(mode as u8 + 1);
                    if self.mode.compare_exchange(mode as u8, next as u8, Ordering::Relaxed, Ordering::Relaxed).is_ok()
                    {
                        tracing::warn!(
                            model = %self.config.model, refused = ?mode, now = ?next, error = %e,
                            "the LLM server refuses this structured_output mode; using the next one (set it in the policy to skip this)"
                        );
                    }
                }
                other => return other,
            }
        }
    }

    async fn chat_in_mode(
        &self,
        messages: &[Message],
        schema: Option<&Value>,
        options: CallOptions,
        mode: StructuredOutput,
    ) -> Result<ChatResponse, LlmError> {
        let key = match &self.config.api_key_env {
            Some(var) => Some(
                std::env::var(var).map_err(|_| LlmError::Config(format!("environment variable {var} is not set")))?,
            ),
            None => None,
        };
        let body = self.request_body(messages, schema, options, mode);
        let prompt_bytes: usize = messages.iter().map(|m| m.content.len()).sum();
        let url = format!("{}/chat/completions", self.config.base_url.trim_end_matches('/'));
        let attempt = || async {
            let mut req = self.http.post(&url).json(&body);
            if let Some(at) = options.deadline {
                // A try never outlives the caller's deadline.
                let left = at.saturating_duration_since(tokio::time::Instant::now());
                req = req.timeout(left.min(self.config.timeout).max(Duration::from_millis(1)));
            }
            if let Some(k) = &key {
                req = req.bearer_auth(k);
            }
            let resp = req.send().await.map_err(|e| LlmError::Transport(without_url(e)))?;
            let status = resp.status();
            if !status.is_success() {
                let retry_after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                let text = resp.text().await.unwrap_or_default();
                return Err(LlmError::Status {
                    status: status.as_u16(),
                    body: crate::domain::plan::truncate(&text, 300),
                    retry_after,
                });
            }
            let streamed = resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("text/event-stream"));
            let value: Value = if streamed {
                read_stream(resp).await?
            } else {
                let body = read_bounded(resp).await?;
                serde_json::from_slice(&body).map_err(|e| LlmError::Malformed(format!("undecodable body: {e}")))?
            };
            self.parse(&value, prompt_bytes)
        };
        let backoff = ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(200))
            .with_max_delay(Duration::from_secs(20))
            .with_max_times(self.config.max_retries as usize)
            .with_jitter();
        attempt
            .retry(backoff)
            // A refused mode is not the server being down: the caller switches modes.
            .when(|e| e.retryable() && !(schema.is_some() && e.refuses_response_format()))
            .adjust(|e, planned| match e {
                // The server knows best when it can take the next request.
                LlmError::Status { retry_after: Some(s), .. } => planned.map(|_| Duration::from_secs((*s).min(60))),
                _ => planned,
            })
            .notify(|e, after| tracing::warn!(error = %e, retry_in = ?after, model = %self.config.model, "LLM call failed; retrying"))
            .await
    }

    fn request_body(
        &self,
        messages: &[Message],
        schema: Option<&Value>,
        options: CallOptions,
        mode: StructuredOutput,
    ) -> Value {
        let mut msgs: Vec<Value> = messages.iter().map(|m| json!({ "role": m.role, "content": m.content })).collect();
        let mut body = json!({ "model": self.config.model, "messages": [] });
        if let Some(schema) = schema {
            match mode {
                StructuredOutput::JsonSchema => {
                    body["response_format"] = json!({ "type": "json_schema", "json_schema": { "name": "answer", "schema": schema, "strict": true } });
                }
                StructuredOutput::JsonObject => {
                    body["response_format"] = json!({ "type": "json_object", "schema": schema });
                }
                StructuredOutput::Prompt => {
                    msgs.push(json!({
                        "role": "system",
                        "content": format!("Answer with one JSON value only, matching this JSON schema:\n{schema}"),
                    }));
                }
            }
        }
        body["messages"] = Value::Array(msgs);
        let max_tokens = match (self.config.max_tokens, options.max_tokens) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(n) = max_tokens {
            body["max_tokens"] = json!(n.max(1));
        }
        if let Some(t) = self.config.temperature {
            body["temperature"] = json!(t);
        }
        if let Some(p) = self.config.top_p {
            body["top_p"] = json!(p);
        }
        if let Some(s) = self.config.seed {
            body["seed"] = json!(s);
        }
        if self.config.stream {
            body["stream"] = json!(true);
            body["stream_options"] = json!({ "include_usage": true });
        }
        body
    }

    fn parse(&self, v: &Value, prompt_bytes: usize) -> Result<ChatResponse, LlmError> {
        let choice = v
            .get("choices")
            .and_then(|c| c.get(0))
            .ok_or_else(|| LlmError::Malformed("no choices in the answer".into()))?;
        let message = choice.get("message").ok_or_else(|| LlmError::Malformed("no message in the answer".into()))?;
        // `content: null` (or none) is an empty answer, not a broken one.
        let content = match message.get("content") {
            Some(Value::String(s)) => s.clone(),
            None | Some(Value::Null) => String::new(),
            Some(_) => return Err(LlmError::Malformed("the message content is not text".into())),
        };
        let u = v.get("usage").filter(|u| u.is_object());
        let n = |k: &str| u.and_then(|u| u.get(k)).and_then(Value::as_i64).unwrap_or(0).max(0);
        let (mut prompt, mut completion) = (n("prompt_tokens"), n("completion_tokens"));
        let usage_estimated = u.is_none() || prompt + completion == 0;
        if usage_estimated {
            prompt = estimated_tokens(prompt_bytes);
            completion = estimated_tokens(content.len());
        }
        Ok(ChatResponse {
            usage: Usage {
                prompt_tokens: prompt,
                completion_tokens: completion,
                tool_calls: 0,
                cost_micros: self.config.cost_micros(prompt, completion),
            },
            content,
            finish_reason: choice.get("finish_reason").and_then(Value::as_str).unwrap_or("").to_string(),
            model: v.get("model").and_then(Value::as_str).unwrap_or(&self.config.model).to_string(),
            usage_estimated,
        })
    }
}

/// Longest answer read, streamed or not, in bytes (past it the call fails: a
/// model or server that never stops must not take the server's memory).
const MAX_STREAMED: usize = 4 << 20;

/// A whole (non-streamed) answer's body, refused past [`MAX_STREAMED`] bytes
/// like a streamed one.
async fn read_bounded(mut resp: reqwest::Response) -> Result<Vec<u8>, LlmError> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| LlmError::Transport(without_url(e)))? {
        if body.len() + chunk.len() > MAX_STREAMED {
            return Err(LlmError::Malformed(format!("the answer is longer than {MAX_STREAMED} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads a streamed chat completion (server-sent events, `data: {chunk}` …
/// `data: [DONE]`) into the shape of a whole one: the deltas' content joined,
/// the last finish reason, and the usage if a chunk carries it.
async fn read_stream(mut resp: reqwest::Response) -> Result<Value, LlmError> {
    let (mut content, mut finish, mut usage, mut model) = (String::new(), Value::Null, Value::Null, Value::Null);
    let mut pending: Vec<u8> = Vec::new();
    let mut read = 0usize;
    let (mut done, mut chose) = (false, false);
    while !done {
        let Some(chunk) = resp.chunk().await.map_err(|e| LlmError::Transport(without_url(e)))? else { break };
        read += chunk.len();
        if read > MAX_STREAMED {
            return Err(LlmError::Malformed(format!("the streamed answer is longer than {MAX_STREAMED} bytes")));
        }
        pending.extend_from_slice(&chunk);
        while let Some(end) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let Some(data) = line.trim().strip_prefix("data:").map(str::trim) else { continue };
            if data == "[DONE]" {
                done = true;
                break;
            }
            let event: Value =
                serde_json::from_str(data).map_err(|e| LlmError::Malformed(format!("a streamed event: {e}")))?;
            if let Some(choice) = event.get("choices").and_then(|c| c.get(0)) {
                chose = true;
                if let Some(text) = choice.get("delta").and_then(|d| d.get("content")).and_then(Value::as_str) {
                    content.push_str(text);
                }
                if let Some(f) = choice.get("finish_reason").filter(|f| f.is_string()) {
                    finish = f.clone();
                }
            }
            if event.get("usage").is_some_and(Value::is_object) {
                usage = event["usage"].clone();
            }
            if let Some(m) = event.get("model").filter(|m| m.is_string()) {
                model = m.clone();
            }
        }
    }
    // A stream that never carried a choice is an answer without one.
    let choices = if chose {
        json!([{ "message": { "role": "assistant", "content": content }, "finish_reason": finish }])
    } else {
        json!([])
    };
    let mut whole = json!({ "choices": choices, "model": model });
    if usage.is_object() {
        whole["usage"] = usage;
    }
    Ok(whole)
}

/// An error's text without the URL (which could carry credentials in userinfo).
fn without_url(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_decode() {
        "undecodable body"
    } else {
        "request error"
    };
    format!("{kind}: {}", e.without_url())
}

/// Where in a text JSON may start at most, when looking for it in prose.
const MAX_JSON_STARTS: usize = 16;

/// Extracts the first JSON object or array from a model's text: the whole
/// text, or the first of its first few `{`/`[` that starts a complete value
/// (so ``` fences, "JSON:" before it and text after it do not matter).
pub fn extract_json(text: &str) -> Option<Value> {
    let t = text.trim();
    if let Ok(v) = serde_json::from_str(t) {
        return Some(v);
    }
    t.match_indices(['{', '['])
        .take(MAX_JSON_STARTS)
        .find_map(|(at, _)| serde_json::Deserializer::from_str(&t[at..]).into_iter::<Value>().next()?.ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_found_inside_prose_and_fences() {
        assert_eq!(extract_json("{\"a\":1}"), Some(json!({"a": 1})));
        assert_eq!(extract_json("Sure!\n```json\n{\"a\": [1]}\n```\nbye"), Some(json!({"a": [1]})));
        assert_eq!(extract_json("no json here"), None);
        assert_eq!(extract_json("JSON: {\"legs\": 8.0} and that is all."), Some(json!({"legs": 8.0})));
        assert_eq!(extract_json("[note] {\"a\": 2}"), Some(json!({"a": 2})));
    }

    #[test]
    fn cost_follows_prices() {
        let c: ModelConfig = serde_yaml_ng::from_str(
            "base_url: http://x/v1\nmodel: m\nprompt_price_per_mtok: 2.0\ncompletion_price_per_mtok: 10.0\n",
        )
        .expect("config");
        assert_eq!(c.cost_micros(1_000, 100), 3_000);
        assert!(!format!("{c:?}").contains("price"));
    }
}
