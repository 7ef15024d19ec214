//! `imgdive`: explore a container image's layers and wasted space (`imgtools::cli::dive`).

fn main() -> std::process::ExitCode {
    imgtools::cli::dive::main_with_args(std::env::args_os())
}
