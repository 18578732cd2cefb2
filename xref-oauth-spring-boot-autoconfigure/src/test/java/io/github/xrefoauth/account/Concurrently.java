package io.github.xrefoauth.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs numbered operations on several threads that start together, so that they contend
 * for the same rows.
 */
public final class Concurrently {

	private static final int THREADS = 8;

	private Concurrently() {
	}

	/**
	 * Runs operations 0 to {@code count - 1} on {@value #THREADS} threads released by one
	 * start gate, each thread taking the next number until none is left.
	 * @param count how many operations
	 * @param operation the operation, given its number
	 * @return what the operations threw, empty when none failed
	 * @throws Exception if a thread could not be run or did not finish
	 */
	public static List<Throwable> run(int count, IntConsumer operation) throws Exception {
		Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
		AtomicInteger next = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<?>> threads = new ArrayList<>();
			for (int i = 0; i < THREADS; i++) {
				threads.add(executor.submit(() -> {
					start.await();
					for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
						try {
							operation.accept(n);
						}
						catch (RuntimeException | AssertionError ex) {
							failures.add(ex);
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> thread : threads) {
				// A bound on a hang, not on speed.
				thread.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		return List.copyOf(failures);
	}

}
