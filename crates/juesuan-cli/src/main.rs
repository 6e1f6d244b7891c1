//! The `juesuan` command line (work in progress in this commit).
fn main() {}
