from alpine
run echo hello > /greeting.txt
entrypoint ["cat", "/greeting.txt"]
