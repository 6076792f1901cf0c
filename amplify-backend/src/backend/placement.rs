//! Which nested stack each function goes in.
//!
//! A category that calls a function (a trigger, a resolver) refers to the
//! function's stack; a function that uses a category (an access grant, an
//! environment value) makes its stack refer to the category's. Nested stacks that
//! refer to each other in a cycle cannot deploy: this is the "circular dependency
//! between nested stacks" Amplify users meet when a function is both a trigger
//! and uses data. So each function goes where no cycle forms.
//!
//! When no placement works, functions that read data (`allow.resource(fn)`) and
//! whose code loads `AMPLIFY_SSM_ENV_CONFIG` before the handler (the generated
//! shim) get data's GraphQL endpoint through an SSM parameter instead, and data's
//! access grant as a policy in the data stack: their edge to data turns round
//! (data -> function). As few functions as will do are changed, so that every
//! backend that placed before synthesizes as it did. If that is not enough, the
//! backend says which cycle each choice would close.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::definition::FunctionLink;
use super::Category;

/// The stack of functions that no category needs elsewhere.
pub(crate) const FUNCTION_STACK: &str = Category::Function.stack_name();

/// The data category's stack: the one category whose use by a function can go
/// through SSM Parameter Store (see the module docs).
const DATA_STACK: &str = Category::Data.stack_name();

/// Placements tried before the search gives up (each is a small graph walk).
const BUDGET: usize = 10_000;

/// Stack name -> the stack names it refers to.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The stack of each linked function, and why some could not be placed.
#[derive(Debug, Default)]
pub(crate) struct Placement {
    /// Function name -> nested stack name (functions without links are absent:
    /// they go in [`FUNCTION_STACK`]).
    pub(crate) stacks: HashMap<String, String>,
    /// Functions that read data's endpoint from SSM Parameter Store, and whose
    /// data access policy lives in the data stack.
    pub(crate) data_through_ssm: BTreeSet<String>,
    /// One message per function whose every placement closes a cycle.
    pub(crate) problems: Vec<String>,
}

/// Places every function of `links`. `dependencies` are the references between
/// category stacks that exist whatever functions do (`data` -> `auth`);
/// `ssm_loaders` are the functions whose code loads `AMPLIFY_SSM_ENV_CONFIG`.
///
/// Each function prefers the stack of a category it both serves and uses (a
/// trigger that manages users lives with auth, as Amplify's `resourceGroupName`
/// would put it), then `function`, then the other stacks it is linked with.
/// The first combination without a cycle wins.
pub(crate) fn place_functions(
    links: &[FunctionLink],
    dependencies: &[(String, String)],
    ssm_loaders: &BTreeSet<String>,
) -> Placement {
    if let Some(stacks) = place_all(links, dependencies) {
        return Placement { stacks, ..Default::default() };
    }
    let readers: Vec<String> = functions(links)
        .into_iter()
        .filter(|f| ssm_loaders.contains(f) && links.iter().any(|l| l.function == *f && reads_data(l)))
        .collect();
    // Add readers one by one until a placement works, then drop those it works
    // without: templates change only where the cycle needs it.
    let mut chosen: Vec<String> = Vec::new();
    let mut found = None;
    for reader in &readers {
        chosen.push(reader.clone());
        found = place_all(&through_ssm(links, &chosen), dependencies);
        if found.is_some() {
            break;
        }
    }
    let Some(mut stacks) = found else {
        // Even then: explain, with every reader's edge turned round so that only
        // the functions that still close a cycle are reported.
        let links = through_ssm(links, &readers);
        let mut placement = explain(&links, dependencies, ssm_loaders);
        placement.data_through_ssm = readers.into_iter().collect();
        return placement;
    };
    let mut i = 0;
    while i < chosen.len() {
        let mut fewer = chosen.clone();
        fewer.remove(i);
        match place_all(&through_ssm(links, &fewer), dependencies) {
            Some(s) => (chosen, stacks) = (fewer, s),
            None => i += 1,
        }
    }
    Placement { stacks, data_through_ssm: chosen.into_iter().collect(), problems: Vec::new() }
}

/// A placement of every function without a cycle, if the search finds one.
fn place_all(links: &[FunctionLink], dependencies: &[(String, String)]) -> Option<HashMap<String, String>> {
    let functions = functions(links);
    let candidates: Vec<Vec<String>> = functions.iter().map(|f| candidates(f, links)).collect();
    let mut stacks = HashMap::new();
    let mut budget = BUDGET;
    search(0, &functions, &candidates, links, dependencies, &mut stacks, &mut budget).then_some(stacks)
}

/// A function's use of data (`allow.resource`): the only link of data's that
/// points from the function to the category.
fn reads_data(link: &FunctionLink) -> bool {
    link.stack == DATA_STACK && link.function_uses_category && !link.category_uses_function
}

/// `links` with the data reads of `functions` turned round: data publishes the
/// endpoint parameter and attaches the policy to the function's role, so data
/// refers to the function and the function to nothing of data's.
fn through_ssm(links: &[FunctionLink], functions: &[String]) -> Vec<FunctionLink> {
    links
        .iter()
        .map(|l| {
            if reads_data(l) && functions.contains(&l.function) {
                FunctionLink { category_uses_function: true, function_uses_category: false, ..l.clone() }
            } else {
                l.clone()
            }
        })
        .collect()
}

/// Nothing works: place one function after the other, and explain each one for
/// which every stack closes a cycle (it stays in its preferred stack, where
/// synthesis reports the cycle too).
fn explain(links: &[FunctionLink], dependencies: &[(String, String)], ssm_loaders: &BTreeSet<String>) -> Placement {
    let mut placement = Placement::default();
    for function in functions(links) {
        let candidates = candidates(&function, links);
        let mut tried = Vec::new();
        let mut placed = false;
        for stack in &candidates {
            placement.stacks.insert(function.clone(), stack.clone());
            match find_cycle(&graph(links, dependencies, &placement.stacks)) {
                None => {
                    placed = true;
                    break;
                }
                Some(cycle) => tried.push(format!("in '{stack}': {}", cycle.join(" -> "))),
            }
        }
        if !placed {
            placement.stacks.insert(function.clone(), candidates[0].clone());
            let reads = links.iter().any(|l| l.function == function && reads_data(l));
            let hint = if reads && !ssm_loaders.contains(&function) {
                ". Or deploy it as TypeScript, JavaScript or Python code (entry `handler.ts`, `handler.mjs`, \
                 `handler.py` or a directory of such code): amplify-backend then generates a loader that reads \
                 AMPLIFY_DATA_GRAPHQL_ENDPOINT from SSM Parameter Store, so the function no longer refers to the \
                 data stack. A Rust or custom-runtime handler gets no loader"
            } else {
                ""
            };
            placement.problems.push(format!(
                "function '{function}' cannot be placed in a nested stack without a dependency cycle, which                  CloudFormation rejects ({}). A category that calls a function (trigger, resolver) depends on                  the function's stack, and a function that uses a category (access, environment) depends on                  that category's stack: split it into one function per role, or drop one of its links{hint}",
                tried.join("; ")
            ));
        }
    }
    placement
}

/// The functions of `links`, in order of first mention.
fn functions(links: &[FunctionLink]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in links {
        if !out.contains(&l.function) {
            out.push(l.function.clone());
        }
    }
    out
}

/// Where `function` may go, best first.
fn candidates(function: &str, links: &[FunctionLink]) -> Vec<String> {
    let mine: Vec<&FunctionLink> = links.iter().filter(|l| l.function == function).collect();
    let serves_and_uses = |stack: &str| {
        mine.iter().any(|l| l.stack == stack && l.category_uses_function)
            && mine.iter().any(|l| l.stack == stack && l.function_uses_category)
    };
    let mut out: Vec<String> = Vec::new();
    let mut push = |stack: &str| {
        if !out.iter().any(|s| s == stack) {
            out.push(stack.to_string());
        }
    };
    for l in mine.iter().filter(|l| serves_and_uses(&l.stack)) {
        push(&l.stack);
    }
    push(FUNCTION_STACK);
    for l in &mine {
        push(&l.stack);
    }
    out
}

/// Depth-first search over the candidates of each function, from `index` on.
fn search(
    index: usize,
    functions: &[String],
    candidates: &[Vec<String>],
    links: &[FunctionLink],
    dependencies: &[(String, String)],
    stacks: &mut HashMap<String, String>,
    budget: &mut usize,
) -> bool {
    let Some(function) = functions.get(index) else { return true };
    for stack in &candidates[index] {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        stacks.insert(function.clone(), stack.clone());
        if find_cycle(&graph(links, dependencies, stacks)).is_none()
            && search(index + 1, functions, candidates, links, dependencies, stacks, budget)
        {
            return true;
        }
    }
    stacks.remove(function);
    false
}

/// The references between stacks, for the functions placed so far.
fn graph(links: &[FunctionLink], dependencies: &[(String, String)], stacks: &HashMap<String, String>) -> Graph {
    let mut graph = Graph::new();
    let mut edge = |from: &str, to: &str| {
        if from != to {
            graph.entry(from.to_string()).or_default().insert(to.to_string());
        }
    };
    for (from, to) in dependencies {
        edge(from, to);
    }
    for l in links {
        let Some(home) = stacks.get(&l.function) else { continue };
        if l.category_uses_function {
            edge(&l.stack, home);
        }
        if l.function_uses_category {
            edge(home, &l.stack);
        }
    }
    graph
}

/// A cycle of the graph, as the path around it (`a -> b -> a`), if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit<'a>(
        node: &'a str,
        graph: &'a Graph,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle: Vec<String> = path[at..].iter().map(|s| s.to_string()).collect();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node);
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(f: &str, stack: &str, uses: bool, used: bool) -> FunctionLink {
        FunctionLink {
            function: f.into(),
            stack: stack.into(),
            category_uses_function: uses,
            function_uses_category: used,
        }
    }

    fn data_uses_auth() -> Vec<(String, String)> {
        vec![("data".into(), "auth".into())]
    }

    fn none() -> BTreeSet<String> {
        BTreeSet::new()
    }

    fn loaders(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_function_that_serves_and_uses_a_category_goes_with_it() {
        let p = place_functions(
            &[
                link("trigger", "auth", true, false),
                link("trigger", "auth", false, true),
                link("reader", "data", false, true),
                link("resolver", "data", true, false),
            ],
            &data_uses_auth(),
            &none(),
        );
        assert_eq!(p.stacks["trigger"], "auth");
        assert_eq!(p.stacks["reader"], "function");
        // With `reader` there, `function` already refers to data: the resolver
        // (which data refers to) would close function -> data -> function.
        assert_eq!(p.stacks["resolver"], "data");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
    }

    #[test]
    fn a_trigger_that_is_also_a_resolver_stays_in_the_function_stack() {
        // auth -> function <- data -> auth: no cycle.
        let p = place_functions(
            &[link("f", "auth", true, false), link("f", "data", true, false)],
            &data_uses_auth(),
            &none(),
        );
        assert_eq!(p.stacks["f"], "function");
        assert!(p.problems.is_empty());
    }

    #[test]
    fn functions_that_would_close_a_cycle_in_the_function_stack_are_split() {
        // `notify` is an auth trigger (auth -> function); `admin` manages users
        // (-> auth) and resolves a query. Both in `function` would close
        // auth -> function -> auth, so `admin` moves to auth.
        let links = [
            link("notify", "auth", true, false),
            link("admin", "auth", false, true),
            link("admin", "data", true, false),
        ];
        let p = place_functions(&links, &data_uses_auth(), &none());
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.stacks["notify"], "function");
        assert_eq!(p.stacks["admin"], "auth");
        assert_eq!(find_cycle(&graph(&links, &data_uses_auth(), &p.stacks)), None);
    }

    #[test]
    fn a_trigger_that_reads_data_gets_the_endpoint_through_ssm_when_its_code_can_load_it() {
        // A post-confirmation trigger that also reads data: auth -> f -> data ->
        // auth wherever it goes, unless data's endpoint reaches it through SSM.
        let links = [link("f", "auth", true, false), link("f", "data", false, true)];
        let p = place_functions(&links, &data_uses_auth(), &loaders(&["f"]));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.data_through_ssm, loaders(&["f"]));
        assert_eq!(p.stacks["f"], "function");
        // Data now refers to the function (its policy names the role), not back.
        let g = graph(&through_ssm(&links, &["f".into()]), &data_uses_auth(), &p.stacks);
        assert_eq!(g["data"], loaders(&["auth", "function"]));
        assert!(!g.contains_key("function"), "{g:?}");
        assert_eq!(find_cycle(&g), None);
    }

    #[test]
    fn only_the_readers_the_cycle_needs_go_through_ssm() {
        // `reader` reads data and nobody calls it: it keeps its direct reference,
        // even though its code could load the parameter too.
        let links = [
            link("reader", "data", false, true),
            link("trigger", "auth", true, false),
            link("trigger", "data", false, true),
        ];
        let p = place_functions(&links, &data_uses_auth(), &loaders(&["reader", "trigger"]));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.data_through_ssm, loaders(&["trigger"]));
        // A backend that places as it is changes nothing.
        let p = place_functions(&links[..1], &data_uses_auth(), &loaders(&["reader"]));
        assert!(p.data_through_ssm.is_empty());
    }

    #[test]
    fn when_no_placement_works_every_cycle_is_listed_with_what_to_do() {
        // The same trigger as a Rust handler: it gets no loader, so nothing breaks the cycle.
        let p = place_functions(
            &[link("f", "auth", true, false), link("f", "data", false, true)],
            &data_uses_auth(),
            &none(),
        );
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        let message = &p.problems[0];
        assert!(message.starts_with("function 'f' cannot be placed"), "{message}");
        assert!(message.contains("in 'function': auth -> function -> data -> auth"), "{message}");
        assert!(message.contains("in 'auth': auth -> data -> auth"), "{message}");
        assert!(message.contains("in 'data': auth -> data -> auth"), "{message}");
        assert!(message.contains("TypeScript, JavaScript or Python code"), "{message}");
        assert!(message.contains("A Rust or custom-runtime handler gets no loader"), "{message}");
        assert_eq!(p.stacks["f"], "function", "it stays in its preferred stack");
        assert!(p.data_through_ssm.is_empty());
    }

    #[test]
    fn cycles_ssm_cannot_break_are_reported_without_the_data_hint() {
        // A trigger that uses storage, which refers to auth: SSM carries only data's
        // endpoint, so this cycle stays, and the message offers no loader.
        let links = [link("f", "auth", true, false), link("f", "storage", false, true)];
        let deps = vec![("storage".to_string(), "auth".to_string())];
        let p = place_functions(&links, &deps, &loaders(&["f"]));
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        assert!(!p.problems[0].contains("single-file"), "{}", p.problems[0]);
        assert!(p.data_through_ssm.is_empty());
    }

    #[test]
    fn cycles_are_found_and_written_as_paths() {
        let g: Graph = [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec!["a"])]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
            .collect();
        assert_eq!(find_cycle(&g), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
        let acyclic: Graph = [("a".to_string(), ["b".to_string()].into())].into_iter().collect();
        assert_eq!(find_cycle(&acyclic), None);
    }
}
