//! A token bucket for Route 53, whose API allows 5 requests per second per account.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A token bucket: `rate` requests per second, bursts of up to `rate`.
pub(super) struct RateLimiter {
    rate: f64,
    state: Mutex<(f64, Instant)>,
}

impl RateLimiter {
    pub(super) fn new(rate: u32) -> Self {
        let rate = f64::from(rate.max(1));
        RateLimiter {
            rate,
            state: Mutex::new((rate, Instant::now())),
        }
    }

    pub(super) async fn acquire(&self) {
        loop {
            let wait = {
                let Ok(mut state) = self.state.lock() else {
                    return;
                };
                let now = Instant::now();
                let (tokens, last) = *state;
                let (left, wait) = take_token(tokens, now.duration_since(last), self.rate);
                *state = (left, now);
                match wait {
                    None => return,
                    Some(wait) => wait,
                }
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// One step of the token bucket: refill for `elapsed`, then take a token if
/// there is one. Returns the tokens left and, when none was free, how long
/// until one will be.
fn take_token(tokens: f64, elapsed: Duration, rate: f64) -> (f64, Option<Duration>) {
    let tokens = (tokens + elapsed.as_secs_f64() * rate).min(rate);
    if tokens >= 1.0 {
        (tokens - 1.0, None)
    } else {
        (tokens, Some(Duration::from_secs_f64((1.0 - tokens) / rate)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route53_bucket_allows_a_burst_then_five_per_second() {
        let rate = 5.0;
        let mut tokens = rate;
        for _ in 0..5 {
            let (left, wait) = take_token(tokens, Duration::ZERO, rate);
            assert!(wait.is_none());
            tokens = left;
        }
        let (left, wait) = take_token(tokens, Duration::ZERO, rate);
        assert_eq!(wait, Some(Duration::from_millis(200)));
        // 200 ms later exactly one more request may go.
        let (left, wait) = take_token(left, Duration::from_millis(200), rate);
        assert!(wait.is_none());
        assert!(left < 1e-9);
        // A long pause refills to the burst size, never beyond.
        let (left, _) = take_token(left, Duration::from_secs(60), rate);
        assert!((left - 4.0).abs() < 1e-9);
    }
}
