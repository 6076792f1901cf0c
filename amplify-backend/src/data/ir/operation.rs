//! Resolved custom operations.

use super::model::IrField;
use super::rule::Rule;
use crate::data::schema::custom_operation::OperationType;

/// Where a custom JS handler runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IrDataSource {
    /// The `NONE` data source.
    None,
    /// A model's table.
    Model(String),
    /// A data source added by name.
    Named(String),
}

/// A resolved handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IrHandler {
    /// A Lambda function, by `define_function` name.
    Function(String),
    /// A Lambda function invoked with the `Event` invocation type.
    AsyncFunction(String),
    /// APPSYNC_JS code on a data source.
    Custom {
        /// The code.
        code: String,
        /// The data source.
        data_source: IrDataSource,
    },
}

/// A resolved custom operation.
#[derive(Clone, Debug, PartialEq)]
pub struct IrOperation {
    /// The field name.
    pub name: String,
    /// Query, mutation or subscription.
    pub op_type: OperationType,
    /// The arguments.
    pub arguments: Vec<IrField>,
    /// The return type (the field's name is the operation's).
    pub returns: IrField,
    /// The handlers, in pipeline order (none for subscriptions without one).
    pub handlers: Vec<IrHandler>,
    /// Who may call it.
    pub rules: Vec<Rule>,
    /// Subscriptions: the mutation fields they listen to.
    pub mutations: Vec<String>,
}
