//! A small fixed-window rate limiter per client IP for the public endpoints. It lives in the
//! server's memory, so with several servers behind a load balancer each counts on its own
//! (the limit per client is then at most servers x limit). The client IP comes from the
//! connection (`into_make_service_with_connect_info::<SocketAddr>()`, as `bekal serve` does);
//! requests without connection info share one bucket.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Requests allowed per client per window.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    buckets: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> Arc<Self> {
        Arc::new(RateLimiter {
            limit,
            window,
            buckets: Mutex::new(HashMap::new()),
        })
    }

    /// Counts a request; `false` when the client is over its limit.
    pub fn allow(&self, ip: IpAddr, now: Instant) -> bool {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > 100_000 {
            let window = self.window;
            buckets.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = buckets.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

/// The middleware: 429 with `Retry-After` over the limit.
pub async fn limit(
    State(limiter): State<Arc<RateLimiter>>,
    request: Request,
    next: Next,
) -> Response {
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    // Wall-clock instants are fine here: this is transport throttling, not domain time.
    if limiter.allow(ip, Instant::now()) {
        return next.run(request).await;
    }
    let mut response = if request.uri().path().starts_with("/api/") {
        (
            StatusCode::TOO_MANY_REQUESTS,
            axum::Json(serde_json::json!({
                "error": "rate_limited",
                "message": "too many requests, try again later",
            })),
        )
            .into_response()
    } else {
        (StatusCode::TOO_MANY_REQUESTS, "too many requests\n").into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&limiter.window.as_secs().max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_ip_and_window() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        let t = Instant::now();
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        assert!(limiter.allow(a, t));
        assert!(limiter.allow(a, t));
        assert!(!limiter.allow(a, t));
        assert!(limiter.allow(b, t));
        assert!(limiter.allow(a, t + Duration::from_secs(61)));
    }
}
