//! `imglint`: lint Dockerfiles. Everything lives in the library (`imgtools::cli::lint`).

fn main() {
    std::process::exit(imgtools::cli::lint::main());
}
