//! The code hotswap put in place, which CloudFormation's templates do not show:
//! after a hotswap the deployed template still names the old code. Comparing a
//! new assembly with this, rather than with the deployed template, keeps a
//! sandbox from hotswapping the same code again on every round, and notices a
//! change back to the code the template names.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value as Json;

/// Templates by the logical-id path of their nested stack.
pub type NestedTemplates = HashMap<Vec<String>, Json>;

/// What each stack really runs after hotswaps, shared by the rounds of a sandbox.
#[derive(Clone, Debug, Default)]
pub struct Swapped(Arc<Mutex<HashMap<String, Entry>>>);

#[derive(Clone, Debug)]
struct Entry {
    /// The root template CloudFormation had when the code was swapped.
    deployed: Json,
    /// The root template whose code is in place.
    effective: Json,
    /// The nested templates whose code is in place.
    nested: NestedTemplates,
}

impl Swapped {
    /// What `stack` runs, given the root template CloudFormation has: the root
    /// template and the nested ones hotswapped into place, or `None` when nothing
    /// was swapped since that template was deployed.
    pub fn effective(&self, stack: &str, deployed: &Json) -> Option<(Json, NestedTemplates)> {
        let entries = self.0.lock().ok()?;
        let entry = entries.get(stack).filter(|e| e.deployed == *deployed)?;
        Some((entry.effective.clone(), entry.nested.clone()))
    }

    /// Records a hotswap of `stack` onto the deployed root template `deployed`.
    pub fn record(&self, stack: &str, deployed: &Json, effective: Json, nested: NestedTemplates) {
        let Ok(mut entries) = self.0.lock() else { return };
        let mut all =
            entries.get(stack).filter(|e| e.deployed == *deployed).map(|e| e.nested.clone()).unwrap_or_default();
        all.extend(nested);
        entries.insert(stack.to_string(), Entry { deployed: deployed.clone(), effective, nested: all });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_swap_holds_while_the_same_template_is_deployed() {
        let swapped = Swapped::default();
        let (a, b, c) = (json!({"code": "a"}), json!({"code": "b"}), json!({"code": "c"}));
        assert!(swapped.effective("S", &a).is_none());
        swapped.record("S", &a, b.clone(), HashMap::from([(vec!["Fns".to_string()], json!(1))]));
        swapped.record("S", &a, c.clone(), HashMap::from([(vec!["Api".to_string()], json!(2))]));
        let (effective, nested) = swapped.effective("S", &a).unwrap();
        assert_eq!(effective, c);
        assert_eq!(nested.len(), 2, "nested swaps add up");
        assert!(swapped.effective("S", &b).is_none(), "a deployment since makes it moot");
        assert!(swapped.effective("T", &a).is_none());
    }
}
