//! The local services' tests, in one binary (as cargo's own `tests/testsuite`):
//! one link instead of nineteen; shared support modules are declared once.

mod appsync_api_support;
mod appsync_js_support;
mod assembly_support;
mod cognito_support;
mod identity_support;
mod lambda_support;
mod s3_support;

mod appsync_api;
mod appsync_api_dynamodb;
mod appsync_api_realtime;
mod appsync_js_async;
mod appsync_js_chat;
mod appsync_js_pipeline;
mod appsync_js_restrictions;
mod appsync_js_transform;
mod appsync_js_util;
mod assembly_reader;
mod backend;
mod backend_functions;
mod cognito_admin;
mod cognito_amplify;
mod cognito_auth;
mod cognito_http;
mod cognito_signup;
mod cognito_store;
mod cognito_user;
mod dynamodb_moto;
mod dynamodb_store;
mod identity_data;
mod identity_pools;
mod identity_sigv4;
mod lambda_backend;
mod lambda_schedules;
mod lambda_service;
mod s3_amplify;
mod s3_objects;
mod s3_rules;
