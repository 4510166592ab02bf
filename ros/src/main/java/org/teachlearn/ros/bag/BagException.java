package org.teachlearn.ros.bag;

/** A bag file that is not what the format says: what is wrong, and where when known. */
public final class BagException extends RuntimeException {

    public BagException(String message) {
        super(message);
    }
}
