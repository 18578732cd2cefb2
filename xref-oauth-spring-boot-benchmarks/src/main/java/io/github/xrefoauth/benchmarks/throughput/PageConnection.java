package io.github.xrefoauth.benchmarks.throughput;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * One kept-alive HTTP/1.1 connection on loopback that asks for one page again and again,
 * with the least work on the client's side: the request's bytes are made once, and of the
 * answer only the status and the headers that frame the body are read.
 */
final class PageConnection implements Closeable {

	private final int port;

	private final byte[] request;

	private final StringBuilder line = new StringBuilder();

	private @Nullable Socket socket;

	private @Nullable InputStream in;

	private @Nullable OutputStream out;

	PageConnection(int port, String path, String cookie) {
		this.port = port;
		this.request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nCookie: " + cookie
				+ "\r\nAccept: text/plain\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Asks for the page and reads the whole answer.
	 * @param body receives the body if not {@code null}
	 * @return the status
	 */
	int get(@Nullable StringBuilder body) throws IOException {
		if (this.socket == null) {
			connect();
		}
		this.out.write(this.request);
		this.out.flush();
		int status;
		try {
			status = Integer.parseInt(readLine().substring(9, 12));
		}
		catch (EOFException ex) {
			// The server closed the idle connection: once more on a new one
			close();
			connect();
			this.out.write(this.request);
			this.out.flush();
			status = Integer.parseInt(readLine().substring(9, 12));
		}
		int length = -1;
		boolean closes = false;
		for (String header = readLine(); !header.isEmpty(); header = readLine()) {
			if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
				length = Integer.parseInt(header.substring(15).trim());
			}
			else if (header.regionMatches(true, 0, "Transfer-Encoding:", 0, 18)) {
				throw new IOException("Expected a body of known length, not " + header);
			}
			else if (header.regionMatches(true, 0, "Connection:", 0, 11) && header.contains("close")) {
				closes = true;
			}
		}
		if (length < 0) {
			throw new IOException("Expected a Content-Length header, status " + status);
		}
		if (body != null) {
			body.append(new String(this.in.readNBytes(length), StandardCharsets.UTF_8));
		}
		else {
			this.in.skipNBytes(length);
		}
		if (closes) {
			close();
		}
		return status;
	}

	private void connect() throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port);
		socket.setTcpNoDelay(true);
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream(), 8192);
		this.out = socket.getOutputStream();
	}

	private String readLine() throws IOException {
		this.line.setLength(0);
		int b;
		while ((b = this.in.read()) != '\n') {
			if (b < 0) {
				throw new EOFException();
			}
			if (b != '\r') {
				this.line.append((char) b);
			}
		}
		return this.line.toString();
	}

	@Override
	public void close() throws IOException {
		if (this.socket != null) {
			this.socket.close();
			this.socket = null;
		}
	}

}
