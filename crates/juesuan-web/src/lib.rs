//! juesuan web app.
