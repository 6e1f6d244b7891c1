//! Passwords (argon2id, PHC strings), random tokens (sessions, CSRF) and the cookies that carry
//! them.

use crate::error::WebError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use std::sync::OnceLock;

/// The session cookie.
pub const SESSION_COOKIE: &str = "juesuan_session";
/// The CSRF cookie (double submit: every POST carries the same value in a form field `csrf`
/// or the `X-CSRF-Token` header).
pub const CSRF_COOKIE: &str = "juesuan_csrf";
/// The language cookie.
pub const LANG_COOKIE: &str = "juesuan_lang";

/// argon2id hash of `password` with a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, WebError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| WebError::bad_account(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| WebError::bad_account(e.to_string()))
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the user does not exist.
pub fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("no such user, no such password").unwrap_or_default())
}

/// 32 random bytes as hex.
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How a session token is stored: its BLAKE2s-256 digest, hex. A copy of the database does
/// not give live sessions.
pub fn token_digest(token: &str) -> String {
    use blake2::Digest;
    blake2::Blake2s256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A random password of 16 letters and digits, for printed demo credentials.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| char::from(ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()]))
        .collect()
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Whether two tokens are equal, in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn cookies_and_tokens() {
        assert_eq!(cookie("a=1; juesuan_csrf=xy; b=2", CSRF_COOKIE), Some("xy"));
        assert_eq!(cookie("a=1", CSRF_COOKIE), None);
        assert_eq!(token().len(), 64);
        assert_ne!(token(), token());
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
        assert_eq!(random_password().len(), 16);
        assert_eq!(token_digest("a").len(), 64);
        assert_ne!(token_digest("a"), token_digest("b"));
    }
}
