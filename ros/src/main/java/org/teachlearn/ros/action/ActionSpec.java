package org.teachlearn.ros.action;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.teachlearn.msgs.actionlib_msgs.GoalID;
import org.teachlearn.msgs.actionlib_msgs.GoalStatus;
import org.teachlearn.msgs.std_msgs.Header;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.MessageType;

/**
 * The shape of one action type (what genaction made of {@code pkg/Name.action}): the three wire types
 * {@code NameActionGoal}, {@code NameActionResult}, {@code NameActionFeedback} and their fields, found
 * once by reflection on the generated {@code NameAction} class, as actionlib does with its ActionSpec.
 * Reading and writing the fields afterwards allocates nothing.
 *
 * @param <G> the goal ({@code NameGoal})
 * @param <R> the result ({@code NameResult})
 * @param <F> the feedback ({@code NameFeedback})
 */
public final class ActionSpec<G extends Message, R extends Message, F extends Message> {

    private final String name;
    private final MessageType<Message> actionGoal;
    private final MessageType<Message> actionResult;
    private final MessageType<Message> actionFeedback;
    private final VarHandle goalHeader, goalId, goal;
    private final VarHandle resultHeader, resultStatus, result;
    private final VarHandle feedbackHeader, feedbackStatus, feedback;

    private ActionSpec(Class<? extends Message> action, Class<G> goalClass, Class<R> resultClass, Class<F> feedbackClass) {
        String typeName = typeOf(action).name();
        if (!typeName.endsWith("Action")) {
            throw new IllegalArgumentException(typeName + " is not an action type (its name must end in Action)");
        }
        name = typeName.substring(0, typeName.length() - "Action".length());
        actionGoal = typeOf(fieldType(action, "action_goal"));
        actionResult = typeOf(fieldType(action, "action_result"));
        actionFeedback = typeOf(fieldType(action, "action_feedback"));
        Class<?> ag = fieldType(action, "action_goal");
        Class<?> ar = fieldType(action, "action_result");
        Class<?> af = fieldType(action, "action_feedback");
        goalHeader = handle(ag, "header", Header.class);
        goalId = handle(ag, "goal_id", GoalID.class);
        goal = handle(ag, "goal", goalClass);
        resultHeader = handle(ar, "header", Header.class);
        resultStatus = handle(ar, "status", GoalStatus.class);
        result = handle(ar, "result", resultClass);
        feedbackHeader = handle(af, "header", Header.class);
        feedbackStatus = handle(af, "status", GoalStatus.class);
        feedback = handle(af, "feedback", feedbackClass);
    }

    /**
     * The spec of a generated action, e.g.
     * {@code ActionSpec.of(GripperCommandAction.class, GripperCommandGoal.class, GripperCommandResult.class, GripperCommandFeedback.class)}.
     *
     * @throws IllegalArgumentException when the classes are not one action's, as genaction lays it out
     */
    public static <G extends Message, R extends Message, F extends Message> ActionSpec<G, R, F> of(
            Class<? extends Message> action, Class<G> goal, Class<R> result, Class<F> feedback) {
        return new ActionSpec<>(action, goal, result, feedback);
    }

    /** The action's name without the {@code Action} suffix, e.g. {@code control_msgs/GripperCommand}. */
    public String name() {
        return name;
    }

    public MessageType<Message> actionGoalType() {
        return actionGoal;
    }

    public MessageType<Message> actionResultType() {
        return actionResult;
    }

    public MessageType<Message> actionFeedbackType() {
        return actionFeedback;
    }

    Header goalHeader(Message actionGoal) {
        return (Header) goalHeader.get(actionGoal);
    }

    GoalID goalId(Message actionGoal) {
        return (GoalID) goalId.get(actionGoal);
    }

    @SuppressWarnings("unchecked")
    G goal(Message actionGoal) {
        return (G) goal.get(actionGoal);
    }

    Header resultHeader(Message actionResult) {
        return (Header) resultHeader.get(actionResult);
    }

    GoalStatus resultStatus(Message actionResult) {
        return (GoalStatus) resultStatus.get(actionResult);
    }

    @SuppressWarnings("unchecked")
    R result(Message actionResult) {
        return (R) result.get(actionResult);
    }

    void setResult(Message actionResult, R value) {
        result.set(actionResult, value);
    }

    Header feedbackHeader(Message actionFeedback) {
        return (Header) feedbackHeader.get(actionFeedback);
    }

    GoalStatus feedbackStatus(Message actionFeedback) {
        return (GoalStatus) feedbackStatus.get(actionFeedback);
    }

    @SuppressWarnings("unchecked")
    F feedback(Message actionFeedback) {
        return (F) feedback.get(actionFeedback);
    }

    void setFeedback(Message actionFeedback, F value) {
        feedback.set(actionFeedback, value);
    }

    /** A deep copy through the wire format: a goal or result that must outlive the callback that read it. */
    @SuppressWarnings("unchecked")
    static <M extends Message> M copy(M message) {
        ByteBuffer b = ByteBuffer.allocate(message.serializedSize()).order(ByteOrder.LITTLE_ENDIAN);
        message.serialize(b);
        b.flip();
        M out = (M) message.type().newMessage();
        out.deserialize(b);
        return out;
    }

    private static Class<?> fieldType(Class<?> owner, String field) {
        try {
            return owner.getField(field).getType();
        } catch (NoSuchFieldException e) {
            throw new IllegalArgumentException(owner.getSimpleName() + " has no field '" + field
                    + "': not a message genaction made from an .action file", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static MessageType<Message> typeOf(Class<?> message) {
        try {
            return (MessageType<Message>) message.getField("TYPE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(message.getName() + " is not a generated message class (no TYPE)", e);
        }
    }

    private static VarHandle handle(Class<?> owner, String field, Class<?> expected) {
        Class<?> actual = fieldType(owner, field);
        if (actual != expected) {
            throw new IllegalArgumentException(owner.getSimpleName() + "." + field + " is a " + actual.getSimpleName()
                    + ", not a " + expected.getSimpleName() + ": goal, result and feedback classes of another action?");
        }
        try {
            return MethodHandles.publicLookup().unreflectVarHandle(owner.getField(field));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot reach " + owner.getName() + "." + field, e);
        }
    }
}
