//! The console's JSON API, judged over HTTP against a local backend of the
//! chat example (with a `Moderators` group): the guard, users, data as a
//! chosen identity, realtime, storage and functions.

mod support;

mod api_data;
mod api_guard;
mod api_iam;
mod api_storage_functions;
mod api_users;
