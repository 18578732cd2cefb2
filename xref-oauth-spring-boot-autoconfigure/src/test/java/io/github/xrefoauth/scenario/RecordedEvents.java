package io.github.xrefoauth.scenario;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.xrefoauth.event.XrefConnectionEvent;

import org.springframework.context.event.EventListener;

/**
 * The connection events a platform published, in order.
 */
class RecordedEvents {

	private final List<XrefConnectionEvent> events = new CopyOnWriteArrayList<>();

	@EventListener
	void record(XrefConnectionEvent event) {
		this.events.add(event);
	}

	List<XrefConnectionEvent> all() {
		return List.copyOf(this.events);
	}

	void clear() {
		this.events.clear();
	}

}
