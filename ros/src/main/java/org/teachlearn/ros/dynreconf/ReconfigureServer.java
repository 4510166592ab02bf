package org.teachlearn.ros.dynreconf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.teachlearn.msgs.dynamic_reconfigure.Config;
import org.teachlearn.msgs.dynamic_reconfigure.ConfigDescription;
import org.teachlearn.msgs.dynamic_reconfigure.Reconfigure;
import org.teachlearn.msgs.dynamic_reconfigure.ReconfigureRequest;
import org.teachlearn.msgs.dynamic_reconfigure.ReconfigureResponse;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.node.ServiceServer;

/**
 * A node's run-time parameters, served with dynamic_reconfigure's protocol so that {@code rosrun
 * dynamic_reconfigure dynparam}, rqt_reconfigure and {@code dynamic_reconfigure.client.Client} work on it.
 * In the namespace NS (the node's private one, {@code ~}, by default):
 * <ul>
 * <li>{@code NS/set_parameters} (dynamic_reconfigure/Reconfigure): a request names the parameters to
 *     change; the reply is the whole configuration applied;</li>
 * <li>{@code NS/parameter_descriptions} (ConfigDescription, latched): names, types, ranges, defaults;</li>
 * <li>{@code NS/parameter_updates} (Config, latched): every configuration applied, the first at start.</li>
 * </ul>
 * Start values are the node's parameters {@code NS/NAME} where set (else the defaults), clamped; every
 * configuration applied is written back to {@code NS/NAME}, as dynamic_reconfigure's servers do.
 * Values out of range are clamped to the range; a value that is none of an enum's choices, an unknown
 * name, a value of the wrong type or a NaN is ignored with a warning on /rosout, and the rest of the
 * request is applied. The {@link ReconfigureListener} decides what is applied; it is not called at
 * start (read {@link #values()} then).
 *
 * <p>Threads: the listener runs on the service's thread, one change at a time; {@link #values()} may be
 * read from any thread (one volatile read, no allocation).
 */
public final class ReconfigureServer implements AutoCloseable {

    private final Node node;
    private final String ns;
    private final ReconfigureSpec spec;
    private final ReconfigureListener listener;
    private final Publisher<ConfigDescription> descriptions;
    private final Publisher<Config> updates;
    private final Config update = new Config();
    private final ServiceServer service;
    private volatile ReconfigureValues values;

    private ReconfigureServer(Node node, String ns, ReconfigureSpec spec, ReconfigureListener listener) throws IOException {
        this.node = node;
        this.ns = node.resolve(ns);
        this.spec = spec;
        this.listener = listener;
        this.values = fromParameterServer();
        descriptions = node.advertise(this.ns + "/parameter_descriptions", ConfigDescription.TYPE, 1, true);
        descriptions.publish(ConfigMessages.describe(spec));
        updates = node.advertise(this.ns + "/parameter_updates", Config.TYPE, 10, true);
        synchronized (this) {
            publish(values);
        }
        service = node.advertiseService(this.ns + "/set_parameters", Reconfigure.TYPE, this::onSetParameters);
    }

    /** Serves {@code spec} in the node's private namespace ({@code ~}). */
    public static ReconfigureServer start(Node node, ReconfigureSpec spec, ReconfigureListener listener) throws IOException {
        return start(node, "~", spec, listener);
    }

    /** Serves {@code spec} in {@code namespace} (resolved as a topic name: {@code ~}, {@code ~ft}, {@code /x}). */
    public static ReconfigureServer start(Node node, String namespace, ReconfigureSpec spec, ReconfigureListener listener)
            throws IOException {
        if (listener == null) throw new IllegalArgumentException("a ReconfigureServer needs a listener (one that returns 'requested' accepts all)");
        return new ReconfigureServer(node, namespace, spec, listener);
    }

    /** The values in force now. */
    public ReconfigureValues values() {
        return values;
    }

    /** The namespace the server lives in, resolved (e.g. {@code /drag_teach}). */
    public String namespace() {
        return ns;
    }

    /**
     * Changes values from inside the node, on the same path as a client's request (clamped, checked, the
     * listener asked, written back and published). Returns the values applied.
     */
    public ReconfigureValues update(Map<String, ?> changes) {
        List<String> problems = new ArrayList<>();
        synchronized (this) {
            ReconfigureValues requested = values;
            for (Map.Entry<String, ?> e : changes.entrySet()) {
                ParameterSpec p = spec.get(e.getKey());
                Object v = p == null ? null : ConfigMessages.convert(p.type(), e.getValue());
                if (p == null) problems.add("unknown parameter '" + e.getKey() + "' ignored (parameters are: " + spec.names() + ")");
                else if (v == null) problems.add("parameter " + p.name() + " is " + ConfigMessages.article(p.type()) + ", not " + e.getValue() + ": ignored");
                else requested = requested.with(p.name(), v);
            }
            return apply(requested, problems);
        }
    }

    private void onSetParameters(ReconfigureRequest request, ReconfigureResponse response) {
        synchronized (this) {
            List<String> problems = new ArrayList<>();
            ReconfigureValues requested = ConfigMessages.decode(request.config, values, problems);
            ConfigMessages.encode(apply(requested, problems), response.config, true);
        }
    }

    /** Checks, clamps, asks the listener, stores, writes back and publishes. Holds the lock. */
    private ReconfigureValues apply(ReconfigureValues requested, List<String> problems) {
        ReconfigureValues previous = values;
        ReconfigureValues checked = check(requested, previous, problems);
        for (String p : problems) node.log().warn(ns + "/set_parameters: " + p);
        ReconfigureValues applied;
        try {
            applied = listener.onReconfigure(checked, previous);
            if (applied == null) {
                node.log().error(ns + ": the reconfigure listener returned nothing; keeping " + previous);
                applied = previous;
            } else if (applied.spec() != spec) {
                node.log().error(ns + ": the reconfigure listener returned values of another spec; keeping " + previous);
                applied = previous;
            } else {
                List<String> afterListener = new ArrayList<>();
                applied = check(applied, previous, afterListener);
                for (String p : afterListener) node.log().error(ns + ": the reconfigure listener returned " + p);
            }
        } catch (RuntimeException e) {
            node.log().error(ns + ": the reconfigure listener failed (" + e + "); keeping " + previous);
            applied = previous;
        }
        values = applied;
        List<String> changed = applied.changedFrom(previous);
        if (!changed.isEmpty()) node.log().info(ns + ": " + describeChange(changed, applied));
        writeBack(applied);
        publish(applied);
        return applied;
    }

    /** Clamps numbers into range; a value that is none of the choices goes back to what was in force. */
    private ReconfigureValues check(ReconfigureValues v, ReconfigureValues previous, List<String> problems) {
        ReconfigureValues out = v;
        for (ParameterSpec p : spec.parameters()) {
            Object asked = out.get(p.name());
            Object clamped = p.clamp(asked);
            if (!clamped.equals(asked)) {
                problems.add(p.name() + " = " + asked + " is outside [" + p.min() + ", " + p.max() + "]: clamped to " + clamped);
                out = out.with(p.name(), clamped);
            }
            if (!p.allowed(clamped)) {
                problems.add(p.name() + " = " + clamped + " is none of " + p.choiceNames() + ": kept " + previous.get(p.name()));
                out = out.with(p.name(), previous.get(p.name()));
            }
        }
        return out;
    }

    private static String describeChange(List<String> changed, ReconfigureValues applied) {
        StringBuilder b = new StringBuilder("reconfigured");
        for (String n : changed) b.append(' ').append(n).append('=').append(applied.get(n));
        return b.toString();
    }

    /** Start values: NS/NAME from the parameter server where it holds a value of the right type. */
    private ReconfigureValues fromParameterServer() {
        ReconfigureValues v = spec.defaults();
        List<String> problems = new ArrayList<>();
        for (ParameterSpec p : spec.parameters()) {
            Optional<Object> set = node.params().get(ns + "/" + p.name());
            if (set.isEmpty()) continue;
            Object converted = ConfigMessages.convert(p.type(), set.get());
            if (converted == null || converted instanceof Double d && !Double.isFinite(d)) {
                problems.add("parameter " + ns + "/" + p.name() + " is " + set.get() + ", not " + ConfigMessages.article(p.type())
                        + ": using the default " + p.dflt());
                continue;
            }
            v = v.with(p.name(), converted);
        }
        v = check(v, spec.defaults(), problems);
        for (String p : problems) node.log().warn(ns + ": " + p);
        writeBack(v);
        return v;
    }

    private void writeBack(ReconfigureValues v) {
        for (ParameterSpec p : spec.parameters()) {
            try {
                node.params().set(ns + "/" + p.name(), v.get(p.name()));
            } catch (RuntimeException e) {
                node.log().warnThrottled(ns + "/writeBack", 10, ns + ": could not write " + p.name()
                        + " back to the parameter server: " + e.getMessage());
            }
        }
    }

    private void publish(ReconfigureValues v) {
        ConfigMessages.encode(v, update, true);
        updates.publish(update);
    }

    /** Stops serving: unadvertises the service and both topics. */
    @Override
    public void close() {
        service.close();
        updates.close();
        descriptions.close();
    }
}
