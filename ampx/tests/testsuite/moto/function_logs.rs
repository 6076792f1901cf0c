//! `ampx sandbox --stream-function-logs`: the chat example deployed to moto, log
//! events put into the functions' CloudWatch log groups, and what ampx prints.

use super::*;

use std::io::BufRead;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Lines of a child's stream, read on a thread of their own.
fn lines_of(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stream).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// Reads until a line contains `wanted` (at most two minutes); returns all read.
fn until(lines: &Receiver<String>, wanted: &str, seen: &mut String) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !seen.contains(wanted) {
        match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
            }
            Err(_) => panic!("no \"{wanted}\" from ampx sandbox:\n{seen}"),
        }
    }
}

/// The deployed name of each function, by its `amplify:friendly-name` tag.
async fn deployed_names(moto: &Moto) -> std::collections::BTreeMap<String, String> {
    let lambda = moto.lambda().await;
    let mut names = std::collections::BTreeMap::new();
    for f in lambda.list_functions().send().await.unwrap().functions() {
        let name = f.function_name().unwrap().to_string();
        let got = lambda.get_function().function_name(&name).send().await.unwrap();
        if let Some(friendly) = got.tags().and_then(|t| t.get("amplify:friendly-name")) {
            names.insert(friendly.clone(), name);
        }
    }
    names
}

/// Logs one line into the function's group, as Lambda would.
async fn log(moto: &Moto, function: &str, message: &str) {
    let logs = moto.logs().await;
    let group = format!("/aws/lambda/{function}");
    // The group and stream exist after the first line.
    let _ = logs.create_log_group().log_group_name(&group).send().await;
    let _ = logs.create_log_stream().log_group_name(&group).log_stream_name("2026/12/06/[$LATEST]abc").send().await;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
    let event =
        aws_sdk_cloudwatchlogs::types::InputLogEvent::builder().timestamp(now).message(message).build().unwrap();
    logs.put_log_events()
        .log_group_name(&group)
        .log_stream_name("2026/12/06/[$LATEST]abc")
        .log_events(event)
        .send()
        .await
        .expect("moto takes the log event");
}

#[tokio::test]
async fn the_sandbox_streams_the_logs_of_the_functions_it_is_told_to() {
    let moto = Moto::start_for_amplify();
    moto.bootstrap().await;
    let (tmp, dir) = project("chatapp");
    let assembly = tmp.path().join("cdk.out");
    super::amplify_cli::synth_chat(&assembly);
    let sandbox = |extra: &[&str]| {
        let mut cmd = moto.ampx_command(&dir);
        cmd.args(["sandbox", "--method", "direct", "--identifier", "dev", "--app", assembly.to_str().unwrap()])
            .arg("--stream-function-logs")
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("ampx starts");
        let out = lines_of(child.stdout.take().unwrap());
        let err = lines_of(child.stderr.take().unwrap());
        (child, out, err)
    };
    let stop = |mut child: std::process::Child| {
        let pid = child.id().to_string();
        assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
        assert!(child.wait().unwrap().success());
    };

    // Only say-hello, printed.
    let (child, out, err) = sandbox(&["--logs-filter", "^say-"]);
    let mut stderr = String::new();
    until(&err, "watching for changes", &mut stderr);
    assert!(stderr.contains("[sandbox] streaming the logs of say-hello\n"), "{stderr}");
    let names = deployed_names(&moto).await;
    assert!(names.contains_key("say-hello") && names.contains_key("announce"), "{names:?}");
    log(&moto, &names["announce"], "announce is filtered out").await;
    log(&moto, &names["say-hello"], "INFO\tHello, Ada!\n").await;
    let mut stdout = String::new();
    until(&out, "[say-hello] INFO\tHello, Ada!", &mut stdout);
    let line = stdout.lines().find(|l| l.contains("Hello, Ada!")).unwrap();
    assert!(line.len() > 8 && line.as_bytes()[2] == b':' && line.as_bytes()[5] == b':', "HH:MM:SS first: {line}");
    std::thread::sleep(Duration::from_secs(3));
    while let Ok(line) = out.try_recv() {
        stdout.push_str(&line);
    }
    assert!(!stdout.contains("announce"), "{stdout}");
    assert_eq!(stdout.matches("Hello, Ada!").count(), 1, "each line once: {stdout}");
    stop(child);

    // Every function, into a file; what was logged before this run is not repeated.
    let file = tmp.path().join("logs.txt");
    let (child, _out, err) = sandbox(&["--logs-out-file", file.to_str().unwrap()]);
    let mut stderr = String::new();
    until(&err, "watching for changes", &mut stderr);
    assert!(
        stderr.contains("streaming the logs of ") && stderr.contains(&format!(" to {}", file.display())),
        "{stderr}"
    );
    log(&moto, &names["announce"], "announced").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let text = loop {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if text.contains("announced") || Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(text.contains(" [announce] announced\n"), "{text}");
    assert!(!text.contains("Hello, Ada!") && !text.contains("filtered out"), "old lines again: {text}");
    assert!(!text.contains('\x1b'), "no colours in a file: {text:?}");
    stop(child);
}
