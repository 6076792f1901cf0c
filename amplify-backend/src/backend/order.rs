//! The order definitions are built in: each after the definitions of the
//! categories it needs (it reads what they built), otherwise as given, as
//! Amplify's `defineBackend` builds a resource's dependencies on first use.

use super::Category;

/// What the order is computed from: each definition's category and the
/// categories it needs.
pub(crate) struct Needs {
    pub(crate) category: Category,
    pub(crate) needs: &'static [Category],
}

/// The indexes of `definitions` in build order. Definitions that need each other
/// in a cycle cannot be ordered: each cycle is reported as a path
/// (`auth -> storage -> auth`), and its definitions are built as given.
pub(crate) fn build_order(definitions: &[Needs]) -> (Vec<usize>, Vec<String>) {
    let mut state = vec![State::New; definitions.len()];
    let mut order = Vec::with_capacity(definitions.len());
    let mut problems = Vec::new();
    for i in 0..definitions.len() {
        visit(i, definitions, &mut state, &mut Vec::new(), &mut order, &mut problems);
    }
    (order, problems)
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    New,
    Visiting,
    Done,
}

fn visit(
    i: usize,
    definitions: &[Needs],
    state: &mut [State],
    path: &mut Vec<usize>,
    order: &mut Vec<usize>,
    problems: &mut Vec<String>,
) {
    match state[i] {
        State::Done => return,
        State::Visiting => {
            let at = path.iter().position(|&p| p == i).unwrap_or(0);
            let cycle: Vec<&str> =
                path[at..].iter().chain([&i]).map(|&p| definitions[p].category.stack_name()).collect();
            problems.push(format!(
                "definitions need each other in a cycle ({}), so none of them can be built first; \
                 drop one of the needs",
                cycle.join(" -> ")
            ));
            return;
        }
        State::New => {}
    }
    state[i] = State::Visiting;
    path.push(i);
    for (j, d) in definitions.iter().enumerate() {
        if j != i && definitions[i].needs.contains(&d.category) {
            visit(j, definitions, state, path, order, problems);
        }
    }
    path.pop();
    state[i] = State::Done;
    order.push(i);
}

#[cfg(test)]
mod tests {
    use super::*;
    use Category::*;

    fn needs(list: &[(Category, &'static [Category])]) -> Vec<Needs> {
        list.iter().map(|&(category, needs)| Needs { category, needs }).collect()
    }

    #[test]
    fn what_a_definition_needs_is_built_before_it_and_the_rest_as_given() {
        // As the chat example: auth, data, storage, then the function they use.
        let defs =
            needs(&[(Auth, &[Function]), (Data, &[Auth, Function]), (Storage, &[Auth, Function]), (Function, &[])]);
        assert_eq!(build_order(&defs), (vec![3, 0, 1, 2], vec![]));
        // Storage and data need nothing of each other: they keep the order given.
        let defs = needs(&[(Storage, &[Auth]), (Data, &[Auth]), (Auth, &[])]);
        assert_eq!(build_order(&defs).0, vec![2, 0, 1]);
        // Definitions of one category keep theirs.
        let defs = needs(&[(Function, &[]), (Auth, &[Function]), (Function, &[])]);
        assert_eq!(build_order(&defs).0, vec![0, 2, 1]);
    }

    #[test]
    fn a_cycle_is_reported_as_a_path_and_everything_is_still_built() {
        let defs = needs(&[(Auth, &[Storage]), (Storage, &[Data]), (Data, &[Auth]), (Function, &[])]);
        let (order, problems) = build_order(&defs);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![0, 1, 2, 3], "each definition once");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("(auth -> storage -> data -> auth)"), "{}", problems[0]);
    }
}
