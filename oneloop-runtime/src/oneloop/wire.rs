//! The JSON Oneloop's verify endpoint takes and returns.
//!
//! Requests are written exactly as the official SDKs write them (camelCase, `del` for delete).
//! Responses are read leniently: only `status` is required, unknown fields are ignored, and an
//! optional field of an unexpected type is treated as absent.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::scope::{GrantedScope, Permissions, RequiredScope};
use crate::verdict::{KeyDetails, KeyStatus, RateLimit, Verdict};
use crate::verify::VerifyRequest;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireRequest<'a> {
    key: &'a str,
    requested_scopes: Vec<WireScope<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    route: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    billing: Option<WireBilling<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate_limit_config: Option<WireRateLimitConfig<'a>>,
}

#[derive(Serialize)]
struct WireScope<'a> {
    id: &'a str,
    representation: &'a str,
    create: bool,
    read: bool,
    update: bool,
    del: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireBilling<'a> {
    usage: String,
    usage_name: &'a str,
}

#[derive(Serialize)]
struct WireRateLimitConfig<'a> {
    id: &'a str,
    limit: u32,
}

impl<'a> WireRequest<'a> {
    pub(crate) fn new(request: &VerifyRequest<'a>) -> Self {
        Self {
            key: request.key(),
            requested_scopes: request.scopes().iter().map(WireScope::new).collect(),
            route: request.route(),
            billing: request.usage().map(|usage| WireBilling {
                usage: usage.amount.to_string(),
                usage_name: &usage.meter,
            }),
            rate_limit_config: request.rate_limit().map(|limit| WireRateLimitConfig {
                id: &limit.id,
                limit: limit.limit,
            }),
        }
    }
}

impl<'a> WireScope<'a> {
    fn new(scope: &'a RequiredScope) -> Self {
        let flags = scope.permissions();
        Self {
            id: scope.name(),
            representation: scope.name(),
            create: flags.contains(Permissions::CREATE),
            read: flags.contains(Permissions::READ),
            update: flags.contains(Permissions::UPDATE),
            del: flags.contains(Permissions::DELETE),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireResponse {
    status: String,
    #[serde(default, deserialize_with = "lenient")]
    api_key_id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    customer_id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    expires_at: Option<i64>,
    #[serde(default, deserialize_with = "lenient")]
    scopes: Option<Vec<WireGrantedScope>>,
    /// Kept as raw JSON: any non-null `rateLimit`, well-formed or not, means a rate limit applied.
    #[serde(default)]
    rate_limit: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "lenient")]
    metadata: Option<BTreeMap<String, serde_json::Value>>,
}

#[derive(Deserialize)]
struct WireGrantedScope {
    representation: String,
    #[serde(default)]
    create: Option<bool>,
    #[serde(default)]
    read: Option<bool>,
    #[serde(default)]
    update: Option<bool>,
    #[serde(default)]
    del: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct WireRateLimit {
    #[serde(default, deserialize_with = "lenient")]
    remaining: Option<i64>,
    #[serde(default, deserialize_with = "lenient")]
    reset_at: Option<i64>,
}

/// Reads an optional field, treating a value of the wrong type as absent.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

impl WireResponse {
    /// Parses a verify response body, which must be a JSON object with a string `status`.
    pub(crate) fn parse(body: &[u8]) -> Result<Self, String> {
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|error| error.to_string())?;
        if !value.is_object() {
            return Err("the body is not a JSON object".to_owned());
        }
        serde_json::from_value(value).map_err(|error| error.to_string())
    }

    pub(crate) fn into_verdict(self) -> Verdict {
        let details = KeyDetails {
            key_id: self.api_key_id,
            customer_id: self.customer_id,
            scopes: self
                .scopes
                .unwrap_or_default()
                .into_iter()
                .map(WireGrantedScope::into_granted)
                .collect(),
            metadata: self
                .metadata
                .unwrap_or_default()
                .into_iter()
                .map(|(name, value)| (name, metadata_text(value)))
                .collect(),
            rate_limit: self.rate_limit.map(|value| {
                let limit: WireRateLimit = serde_json::from_value(value).unwrap_or_default();
                RateLimit {
                    remaining: limit.remaining,
                    reset_at: limit.reset_at,
                }
            }),
            expires_at: self.expires_at,
        };
        Verdict::with_details(KeyStatus::from_wire(&self.status), details.into())
    }
}

impl WireGrantedScope {
    fn into_granted(self) -> GrantedScope {
        let flag = |set: Option<bool>, flag: Permissions| {
            if set == Some(true) {
                flag
            } else {
                Permissions::NONE
            }
        };
        let permissions = flag(self.read, Permissions::READ)
            | flag(self.create, Permissions::CREATE)
            | flag(self.update, Permissions::UPDATE)
            | flag(self.del, Permissions::DELETE);
        GrantedScope::new(self.representation, permissions)
    }
}

fn metadata_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    }
}

/// The body Oneloop sends with a non-2xx status.
#[derive(Deserialize)]
pub(crate) struct WireError {
    error: WireErrorBody,
}

#[derive(Deserialize)]
struct WireErrorBody {
    #[serde(default)]
    message: Option<String>,
}

impl WireError {
    pub(crate) fn message(body: &[u8]) -> Option<String> {
        serde_json::from_slice::<Self>(body).ok()?.error.message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE_READ: RequiredScope = RequiredScope::new("profile", Permissions::READ);

    #[test]
    fn one_scope_request_matches_capture() {
        let scopes = [PROFILE_READ];
        let request = VerifyRequest::new("sk_live_abc", &scopes);
        let body = serde_json::to_value(WireRequest::new(&request)).unwrap();
        let expected = serde_json::json!({
            "key": "sk_live_abc",
            "requestedScopes": [{
                "id": "profile", "representation": "profile",
                "create": false, "read": true, "update": false, "del": false
            }]
        });
        assert_eq!(body, expected);
    }

    #[test]
    fn delete_is_spelled_del() {
        let scopes = [RequiredScope::new("files", Permissions::DELETE)];
        let request = VerifyRequest::new("k", &scopes);
        let body = serde_json::to_value(WireRequest::new(&request)).unwrap();
        assert_eq!(body["requestedScopes"][0]["del"], true);
        assert!(body["requestedScopes"][0].get("delete").is_none());
    }

    #[test]
    fn minimal_response_decodes() {
        let body = r#"{"status":"VALID"}"#;
        let verdict = serde_json::from_str::<WireResponse>(body)
            .unwrap()
            .into_verdict();
        assert!(verdict.status().is_valid());
        assert!(verdict.scopes().is_empty());
    }

    #[test]
    fn wrong_typed_optional_field_is_ignored() {
        let body = r#"{"status":"VALID","customerId":7,"scopes":"all","extra":[1]}"#;
        let verdict = serde_json::from_str::<WireResponse>(body)
            .unwrap()
            .into_verdict();
        assert_eq!(verdict.customer_id(), None);
        assert!(verdict.scopes().is_empty());
    }

    #[test]
    fn response_without_status_is_an_error() {
        assert!(WireResponse::parse(br#"{"apiKeyId":"ak_1"}"#).is_err());
    }

    #[test]
    fn array_body_is_rejected() {
        assert!(WireResponse::parse(br#"["VALID"]"#).is_err());
        assert!(WireResponse::parse(br#""VALID""#).is_err());
    }

    #[test]
    fn malformed_rate_limit_still_counts() {
        let bodies = [
            r#"{"status":"VALID","rateLimit":{"remaining":1,"resetAt":1.7333e12}}"#,
            r#"{"status":"VALID","rateLimit":{"remaining":1,"resetAt":"1733300000000"}}"#,
            r#"{"status":"VALID","rateLimit":{}}"#,
            r#"{"status":"VALID","rateLimit":"soon"}"#,
        ];
        for body in bodies {
            let verdict = WireResponse::parse(body.as_bytes()).unwrap().into_verdict();
            assert!(verdict.rate_limit().is_some(), "{body}");
        }
    }

    #[test]
    fn null_rate_limit_is_absent() {
        let body = br#"{"status":"VALID","rateLimit":null}"#;
        let verdict = WireResponse::parse(body).unwrap().into_verdict();
        assert!(verdict.rate_limit().is_none());
    }
}
