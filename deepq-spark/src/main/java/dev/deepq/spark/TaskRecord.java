package dev.deepq.spark;

import dev.deepq.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task with its result: the content of {@code tasks/ID.json} and what executors send back. A record is valid for a
 * task when it parses, has this format version and holds exactly that task.
 */
public record TaskRecord(SweepTask task, TaskResult result) {
    /** Version of the {@code tasks/ID.json} layout. */
    public static final int FORMAT = 1;

    static String json(SweepTask task, TaskResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("id", task.id());
        m.put("task", task.toMap());
        m.put("result", result.toMap());
        return Json.write(m);
    }

    public String toJson() {
        return json(task, result);
    }

    /** Parses a record; malformed JSON or a missing part is an {@link IllegalArgumentException}. */
    @SuppressWarnings("unchecked")
    public static TaskRecord fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        if (!(m.get("format") instanceof Number f) || f.intValue() != FORMAT) {
            throw new IllegalArgumentException("task record format " + m.get("format") + ", expected " + FORMAT);
        }
        try {
            SweepTask task = SweepTask.fromJson(Json.write(m.get("task")));
            TaskResult result = TaskResult.fromMap((Map<String, Object>) m.get("result"));
            return new TaskRecord(task, result);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("incomplete task record: " + e, e);
        }
    }
}
