package io.github.ucconnector.benchmark;

/**
 * One command record of a benchmark load.
 *
 * @param id    the command id, echoed as {@code ce_correlationid} by the outcome event
 * @param type  start, join or leave (the last part of the command topic's name)
 * @param key   the record key: the conversation, so that its commands stay in order on one partition
 * @param json  the record value
 * @param slot  spreads the load evenly: the command goes to partition {@code slot % partitions}; every command of
 *              one conversation has the same slot, so they stay in order
 */
record BenchCommand(String id, String type, String key, String json, int slot) {

    static BenchCommand start(String id, int slot) {
        return new BenchCommand(id, "start", id, "{\"command_id\":\"" + id
                + "\",\"add_conversation_participant_arns\":[\"arn:ultracart:bench:participant:" + id + "\"]}", slot);
    }

    static BenchCommand join(String id, String conversationUuid, int slot) {
        return new BenchCommand(id, "join", conversationUuid, "{\"command_id\":\"" + id
                + "\",\"conversation_uuid\":\"" + conversationUuid + "\",\"participant_language_iso_code\":\"en\"}", slot);
    }

    static BenchCommand leave(String id, String conversationUuid, int slot) {
        return new BenchCommand(id, "leave", conversationUuid, "{\"command_id\":\"" + id
                + "\",\"conversation_uuid\":\"" + conversationUuid + "\"}", slot);
    }
}
