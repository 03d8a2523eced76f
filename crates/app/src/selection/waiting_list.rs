//! Waiting lists.
