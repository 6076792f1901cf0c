use std::process::ExitCode;

fn main() -> ExitCode {
    let app = constructs::App::new();
    hello_constructs::build(&app);
    app.run()
}
