package org.teachlearn.ros.master;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.teachlearn.ros.names.Names;
import org.teachlearn.ros.xmlrpc.XmlRpcFault;
import org.teachlearn.ros.xmlrpc.XmlRpcHandler;
import org.teachlearn.ros.xmlrpc.XmlRpcServer;

/**
 * The ROS master and parameter server (the XML-RPC API roscore offers), embeddable in any JVM.
 * Registrations and parameters are kept in memory, within {@link MasterLimits}; nodes are told of
 * new publishers and changed parameters by callbacks made off the caller's thread, in order per node.
 */
public final class Master implements XmlRpcHandler, AutoCloseable {

    public static final int DEFAULT_PORT = 11311;
    private static final String MASTER_ID = "/master";

    private final Object lock = new Object();
    private final Map<String, Map<String, String>> publishers = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> subscribers = new LinkedHashMap<>();
    private final Map<String, String[]> services = new LinkedHashMap<>(); // name -> {callerId, serviceApi, callerApi}
    private final Map<String, String> topicTypes = new LinkedHashMap<>();
    private final Map<String, String> nodes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> paramSubscribers = new LinkedHashMap<>();
    private final ParameterTree params = new ParameterTree();
    private final MasterLimits limits;
    private final RegistrationLedger ledger;
    private final Notifier notifier;
    private final Consumer<String> log;
    private final XmlRpcServer server;
    private final URI uri;
    private volatile Runnable onShutdownRequest = () -> { };

    /**
     * Starts a master listening on {@code bindHost:port} (port 0 picks a free one) and
     * advertising itself as {@code http://advertisedHost:port/}.
     */
    public Master(String bindHost, String advertisedHost, int port, Consumer<String> log) throws IOException {
        this(bindHost, advertisedHost, port, MasterLimits.defaults(), log);
    }

    public Master(String bindHost, String advertisedHost, int port, MasterLimits limits, Consumer<String> log)
            throws IOException {
        this.log = log;
        this.limits = limits;
        this.ledger = new RegistrationLedger(limits);
        this.notifier = new Notifier(limits, log);
        this.server = new XmlRpcServer(new InetSocketAddress(bindHost, port), 256 << 20, this, log);
        this.uri = URI.create("http://" + advertisedHost + ":" + server.port() + "/");
    }

    public static Master startLocal(int port) throws IOException {
        return new Master("0.0.0.0", "127.0.0.1", port, System.err::println);
    }

    public URI uri() {
        return uri;
    }

    /** What to do when a client calls the master's shutdown method (roscore exits). */
    public void onShutdownRequest(Runnable action) {
        onShutdownRequest = action;
    }

    @Override
    public void close() {
        server.close();
        notifier.close();
    }

    public MasterLimits limits() {
        return limits;
    }

    /** Registrations held now, all callers together, for tests. */
    public int registrationCount() {
        synchronized (lock) {
            return ledger.total();
        }
    }

    /** Callbacks to nodes waiting or running now, for tests. */
    public int queuedCallbacks() {
        return notifier.queued();
    }

    @Override
    public Object call(String method, List<Object> p) throws XmlRpcFault {
        if (p.isEmpty() || !(p.get(0) instanceof String callerId)) {
            throw new XmlRpcFault(-1, method + ": first parameter must be the caller id");
        }
        try {
            return switch (method) {
                case "registerService" -> registerService(callerId, name(p, 1, callerId), str(p, 2), str(p, 3));
                case "unregisterService" -> unregisterService(callerId, name(p, 1, callerId), str(p, 2));
                case "registerSubscriber" -> registerSubscriber(callerId, name(p, 1, callerId), str(p, 2), str(p, 3));
                case "unregisterSubscriber" -> unregister(subscribers, callerId, name(p, 1, callerId), str(p, 2), false);
                case "registerPublisher" -> registerPublisher(callerId, name(p, 1, callerId), str(p, 2), str(p, 3));
                case "unregisterPublisher" -> unregister(publishers, callerId, name(p, 1, callerId), str(p, 2), true);
                case "lookupNode" -> lookupNode(str(p, 1));
                case "lookupService" -> lookupService(name(p, 1, callerId));
                case "getPublishedTopics" -> getPublishedTopics(p.size() > 1 ? str(p, 1) : "");
                case "getTopicTypes" -> getTopicTypes();
                case "getSystemState" -> getSystemState();
                case "getUri" -> ok("", uri.toString());
                case "getPid" -> ok("", (int) ProcessHandle.current().pid());
                case "shutdown" -> {
                    log.accept("master shutdown requested by " + callerId
                            + (p.size() > 1 ? ": " + p.get(1) : ""));
                    notifier.execute(onShutdownRequest);
                    yield ok("shutdown", 0);
                }
                case "setParam" -> setParam(callerId, name(p, 1, callerId), arg(p, 2));
                case "getParam" -> getParam(name(p, 1, callerId));
                case "deleteParam" -> deleteParam(callerId, name(p, 1, callerId));
                case "hasParam" -> {
                    String key = name(p, 1, callerId);
                    synchronized (lock) {
                        yield ok(key, params.has(key));
                    }
                }
                case "searchParam" -> searchParam(callerId, str(p, 1));
                case "subscribeParam" -> subscribeParam(callerId, str(p, 1), name(p, 2, callerId));
                case "unsubscribeParam" -> unsubscribeParam(callerId, name(p, 2, callerId));
                case "getParamNames" -> {
                    synchronized (lock) {
                        yield ok("Parameter names", params.names());
                    }
                }
                default -> throw new XmlRpcFault(-1, "unknown method " + method);
            };
        } catch (IllegalArgumentException e) {
            return List.of(-1, method + ": " + e.getMessage(), 0);
        }
    }

    // --- topics and services ---

    private Object registerPublisher(String callerId, String topic, String type, String api) {
        List<String> subs;
        List<String> pubs;
        synchronized (lock) {
            put(publishers, topic, callerId, api); // first: a refused caller must not be remembered as a node
            noteNode(callerId, api);
            if (!type.equals("*")) topicTypes.put(topic, type);
            subs = apis(subscribers.get(topic));
            pubs = apis(publishers.get(topic));
        }
        log.accept("+PUB [" + topic + "] " + callerId + " " + api);
        notifySubscribers(topic, subs, pubs);
        return ok("Registered [" + callerId + "] as publisher of [" + topic + "]", subs);
    }

    private Object registerSubscriber(String callerId, String topic, String type, String api) {
        List<String> pubs;
        synchronized (lock) {
            put(subscribers, topic, callerId, api); // first: a refused caller must not be remembered as a node
            noteNode(callerId, api);
            if (!type.equals("*")) topicTypes.putIfAbsent(topic, type);
            pubs = apis(publishers.get(topic));
        }
        log.accept("+SUB [" + topic + "] " + callerId + " " + api);
        return ok("Subscribed to [" + topic + "]", pubs);
    }

    private Object unregister(Map<String, Map<String, String>> table, String callerId, String topic, String api,
            boolean isPublisher) {
        List<String> subs = null;
        List<String> pubs = null;
        synchronized (lock) {
            Map<String, String> regs = table.get(topic);
            if (regs == null || !api.equals(regs.get(callerId))) {
                return ok("[" + callerId + "] is not registered on [" + topic + "]", 0);
            }
            regs.remove(callerId);
            ledger.removed(callerId, topic, api);
            if (regs.isEmpty()) table.remove(topic);
            if (isPublisher) {
                subs = apis(subscribers.get(topic));
                pubs = apis(publishers.get(topic));
            }
            forgetNodeIfIdle(callerId);
        }
        log.accept((isPublisher ? "-PUB [" : "-SUB [") + topic + "] " + callerId + " " + api);
        if (isPublisher) notifySubscribers(topic, subs, pubs);
        return ok("Unregistered [" + callerId + "] from [" + topic + "]", 1);
    }

    private Object registerService(String callerId, String service, String serviceApi, String api) {
        synchronized (lock) {
            String[] old = services.get(service);
            if (old == null || !old[0].equals(callerId)) ledger.admit(callerId, service, serviceApi);
            noteNode(callerId, api);
            old = services.put(service, new String[] {callerId, serviceApi, api});
            if (old != null) ledger.removed(old[0], service, old[1]);
            ledger.added(callerId, service, serviceApi);
        }
        log.accept("+SERVICE [" + service + "] " + callerId + " " + serviceApi);
        return ok("Registered [" + callerId + "] as provider of [" + service + "]", 1);
    }

    private Object unregisterService(String callerId, String service, String serviceApi) {
        synchronized (lock) {
            String[] reg = services.get(service);
            if (reg == null || !reg[0].equals(callerId) || !reg[1].equals(serviceApi)) {
                return ok("[" + callerId + "] is not the provider of [" + service + "]", 0);
            }
            services.remove(service);
            ledger.removed(callerId, service, serviceApi);
            forgetNodeIfIdle(callerId);
        }
        log.accept("-SERVICE [" + service + "] " + callerId + " " + serviceApi);
        return ok("Unregistered [" + callerId + "] as provider of [" + service + "]", 1);
    }

    private Object lookupNode(String nodeName) {
        synchronized (lock) {
            String api = nodes.get(Names.canonical(Names.ensureGlobal(nodeName)));
            return api == null ? List.of(-1, "unknown node [" + nodeName + "]", "") : ok("node api", api);
        }
    }

    private Object lookupService(String service) {
        synchronized (lock) {
            String[] reg = services.get(service);
            return reg == null ? List.of(-1, "no provider for [" + service + "]", "") : ok("service api", reg[1]);
        }
    }

    private Object getPublishedTopics(String subgraph) {
        List<Object> out = new ArrayList<>();
        String prefix = subgraph.isEmpty() ? "/" : Names.canonical(subgraph);
        synchronized (lock) {
            for (String topic : publishers.keySet()) {
                if (topic.startsWith(prefix)) out.add(List.of(topic, topicTypes.getOrDefault(topic, "*")));
            }
        }
        return ok("current topics", out);
    }

    private Object getTopicTypes() {
        List<Object> out = new ArrayList<>();
        synchronized (lock) {
            topicTypes.forEach((t, type) -> out.add(List.of(t, type)));
        }
        return ok("current topic types", out);
    }

    private Object getSystemState() {
        synchronized (lock) {
            List<Object> srv = new ArrayList<>();
            services.forEach((name, reg) -> srv.add(List.of(name, List.of(reg[0]))));
            return ok("current system state", List.of(state(publishers), state(subscribers), srv));
        }
    }

    private static List<Object> state(Map<String, Map<String, String>> table) {
        List<Object> out = new ArrayList<>();
        table.forEach((topic, regs) -> out.add(List.of(topic, new ArrayList<>(regs.keySet()))));
        return out;
    }

    /** A node that registers under a name already taken by another URI replaces it, as in roscore. */
    private void noteNode(String callerId, String api) {
        String old = nodes.put(callerId, api);
        if (old != null && !old.equals(api)) {
            log.accept("new node registered with the name " + callerId + "; shutting down the one at " + old);
            dropRegistrations(callerId, old);
            nodes.put(callerId, api);
            send(old, "shutdown", MASTER_ID, "[" + callerId + "] Reason: new node registered with same name");
        }
    }

    private void dropRegistrations(String callerId, String api) {
        for (Map<String, Map<String, String>> table : List.of(publishers, subscribers, paramSubscribers)) {
            table.forEach((name, regs) -> {
                if (regs.remove(callerId, api)) ledger.removed(callerId, name, api);
            });
            table.values().removeIf(Map::isEmpty);
        }
        services.entrySet().removeIf(e -> {
            String[] reg = e.getValue();
            boolean drop = reg[0].equals(callerId) && reg[2].equals(api);
            if (drop) ledger.removed(callerId, e.getKey(), reg[1]);
            return drop;
        });
    }

    /** Registers {@code callerId} at {@code api} under {@code name}, within the ledger's caps. */
    private void put(Map<String, Map<String, String>> table, String name, String callerId, String api) {
        Map<String, String> regs = table.get(name);
        String old = regs == null ? null : regs.get(callerId);
        if (old == null) ledger.admit(callerId, name, api);
        table.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(callerId, api);
        if (old != null) ledger.removed(callerId, name, old);
        ledger.added(callerId, name, api);
    }

    private void forgetNodeIfIdle(String callerId) {
        boolean busy = publishers.values().stream().anyMatch(m -> m.containsKey(callerId))
                || subscribers.values().stream().anyMatch(m -> m.containsKey(callerId))
                || paramSubscribers.values().stream().anyMatch(m -> m.containsKey(callerId))
                || services.values().stream().anyMatch(r -> r[0].equals(callerId));
        if (!busy) nodes.remove(callerId);
    }

    private void notifySubscribers(String topic, List<String> subs, List<String> pubs) {
        for (String api : subs) send(api, "publisherUpdate", MASTER_ID, topic, pubs);
    }

    /** Calls a node off the caller's thread; calls to one node stay in order. */
    private void send(String api, String method, Object... args) {
        notifier.send(api, method, args);
    }

    private static List<String> apis(Map<String, String> regs) {
        return regs == null ? new ArrayList<>() : new ArrayList<>(regs.values());
    }

    // --- parameters ---

    private Object setParam(String callerId, String key, Object value) {
        List<Object[]> updates;
        synchronized (lock) {
            long after = params.bytesIfSet(key, value);
            if (after > limits.parameterBytes()) {
                throw new RegistrationLedger.CapReached("the parameter tree would take about " + after
                        + " bytes, more than its cap of " + limits.parameterBytes() + "; delete parameters,"
                        + " or start the master with a higher parameterBytes (MasterLimits)");
            }
            params.set(key, value);
            updates = paramUpdates(key, value);
        }
        log.accept("+PARAM [" + key + "] by " + callerId);
        for (Object[] u : updates) send((String) u[0], "paramUpdate", MASTER_ID, u[1], u[2]);
        return ok("parameter " + key + " set", 0);
    }

    private Object getParam(String key) {
        synchronized (lock) {
            Object v = params.get(key);
            return v == null ? List.of(-1, "Parameter [" + key + "] is not set", 0) : ok("Parameter [" + key + "]", v);
        }
    }

    private Object deleteParam(String callerId, String key) {
        List<Object[]> updates;
        synchronized (lock) {
            if (!params.delete(key)) return List.of(-1, "parameter [" + key + "] is not set", 0);
            updates = paramUpdates(key, Map.of());
        }
        log.accept("-PARAM [" + key + "] by " + callerId);
        for (Object[] u : updates) send((String) u[0], "paramUpdate", MASTER_ID, u[1], u[2]);
        return ok("parameter " + key + " deleted", 0);
    }

    private Object searchParam(String callerId, String key) {
        synchronized (lock) {
            String found = params.search(callerId, key);
            return found == null ? List.of(-1, "Cannot find parameter [" + key + "] in an upwards search", "")
                    : ok("Found [" + found + "]", found);
        }
    }

    private Object subscribeParam(String callerId, String api, String key) {
        synchronized (lock) {
            put(paramSubscribers, key, callerId, api); // first: a refused caller must not be remembered as a node
            noteNode(callerId, api);
            Object v = params.get(key);
            return ok("Subscribed to parameter [" + key + "]", v == null ? Map.of() : v);
        }
    }

    private Object unsubscribeParam(String callerId, String key) {
        synchronized (lock) {
            Map<String, String> regs = paramSubscribers.get(key);
            String old = regs == null ? null : regs.remove(callerId);
            boolean removed = old != null;
            if (removed) ledger.removed(callerId, key, old);
            if (regs != null && regs.isEmpty()) paramSubscribers.remove(key);
            return ok("Unsubscribed from parameter [" + key + "]", removed ? 1 : 0);
        }
    }

    /**
     * Who hears of a change at {@code key}: subscribers of the key or a namespace above it get the
     * new value; subscribers of keys inside a replaced or deleted namespace get theirs, or {} if
     * gone. Keys carry a trailing slash, as roscore sends them.
     */
    private List<Object[]> paramUpdates(String key, Object value) {
        List<Object[]> out = new ArrayList<>();
        String changed = key.equals("/") ? "/" : Names.canonical(key) + "/";
        for (Map.Entry<String, Map<String, String>> e : paramSubscribers.entrySet()) {
            String sub = e.getKey();
            String subNs = sub.endsWith("/") ? sub : sub + "/";
            Object subValue = null;
            if (changed.startsWith(subNs)) {
                out.addAll(targets(e.getValue(), changed, value));
                continue;
            } else if (subNs.startsWith(changed)) {
                subValue = params.get(sub);
                if (subValue == null) subValue = Map.of();
            } else {
                continue;
            }
            out.addAll(targets(e.getValue(), subNs, subValue));
        }
        return out;
    }

    private static List<Object[]> targets(Map<String, String> regs, String key, Object value) {
        List<Object[]> out = new ArrayList<>();
        for (String api : new TreeSet<>(regs.values())) out.add(new Object[] {api, key, value});
        return out;
    }

    // --- argument helpers ---

    private static List<Object> ok(String message, Object value) {
        return List.of(1, message, value);
    }

    private static Object arg(List<Object> p, int i) {
        if (p.size() <= i) throw new IllegalArgumentException("missing parameter " + (i + 1));
        return p.get(i);
    }

    private static String str(List<Object> p, int i) {
        Object v = arg(p, i);
        if (!(v instanceof String s)) throw new IllegalArgumentException("parameter " + (i + 1) + " must be a string");
        return s;
    }

    /** A graph name argument, resolved against the caller as roscore does. */
    private static String name(List<Object> p, int i, String callerId) {
        String n = str(p, i);
        if (!Names.isLegal(n) || n.isEmpty()) throw new IllegalArgumentException("'" + n + "' is not a legal name");
        return Names.resolveForCaller(n, callerId);
    }

    /** Nodes currently known, for tests and the command line. */
    public Set<String> nodeNames() {
        synchronized (lock) {
            return new TreeSet<>(nodes.keySet());
        }
    }
}
