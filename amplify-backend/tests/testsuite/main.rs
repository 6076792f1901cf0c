//! The tests of amplify-backend, in one binary (as cargo's own `tests/testsuite`):
//! one module per area, the shared support modules declared once here.

mod data_support;
mod function_support;
mod lint_support;
mod storage_support;

mod auth;
mod auth_functions;
mod auth_providers;
mod auth_secrets;
mod backend;
mod backend_parts;
mod backend_placement;
mod bad_l3;
mod bad_l3_data;
mod corpus_valid;
mod data_backups;
mod data_introspection;
mod data_lint;
mod data_logging;
mod data_owner_reads;
mod data_resolvers;
mod data_schema;
mod data_schema_builder;
mod data_sdl;
mod data_stack;
mod data_validate;
mod function_cfn_lint;
mod function_errors;
mod function_grants;
mod function_rust;
mod function_secrets;
mod function_template;
mod function_typescript;
mod outputs_from_stack;
mod outputs_from_template;
mod outputs_predeploy;
mod outputs_schema;
mod storage_access;
mod storage_bucket;
mod storage_lint;
mod storage_reference;
mod storage_rules;
mod storage_triggers;
