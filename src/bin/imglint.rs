//! `imglint`: lint Dockerfiles. Everything lives in the library (`imgtools::lint::cli`).

fn main() {
    std::process::exit(imgtools::lint::cli::main());
}
