//! Selection rounds.
