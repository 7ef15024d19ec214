//! `imgdive`: explore a container image's layers and wasted space (logic in `imgtools::image`).

fn main() -> std::process::ExitCode {
    imgtools::image::cli::main_with_args(std::env::args_os())
}
