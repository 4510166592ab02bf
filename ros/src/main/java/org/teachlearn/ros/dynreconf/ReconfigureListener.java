package org.teachlearn.ros.dynreconf;

/**
 * Hears changes asked for through dynamic_reconfigure and decides what is applied, as a
 * dynamic_reconfigure callback does: it returns the values actually in force from now on.
 *
 * <p>Called on the service's thread, one change at a time, with the server's lock held: keep it short,
 * and hand the values to a control loop through a volatile field (the values are immutable).
 */
@FunctionalInterface
public interface ReconfigureListener {

    /**
     * @param requested what the client asked for, on top of {@code previous}, already clamped to each
     *                  parameter's range
     * @param previous  the values in force until now
     * @return the values to apply: {@code requested}, an adjusted copy ({@code requested.with(...)}), or
     *         {@code previous} to refuse the change. Null or an exception keeps {@code previous} (and is
     *         logged).
     */
    ReconfigureValues onReconfigure(ReconfigureValues requested, ReconfigureValues previous);
}
