package io.github.ucconnector.benchmark;

import io.github.ucconnector.support.Commands;

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
        return new BenchCommand(id, "start", id,
                Commands.start(id).withParticipants("arn:ultracart:bench:participant:" + id).toJson(), slot);
    }

    static BenchCommand join(String id, String conversationUuid, int slot) {
        return new BenchCommand(id, "join", conversationUuid,
                Commands.join(id, conversationUuid).withLanguage("en").toJson(), slot);
    }

    static BenchCommand leave(String id, String conversationUuid, int slot) {
        return new BenchCommand(id, "leave", conversationUuid, Commands.leave(id, conversationUuid).toJson(), slot);
    }
}
