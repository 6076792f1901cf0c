fn main() -> std::process::ExitCode {
    chat::backend(constructs::App::new()).run()
}
