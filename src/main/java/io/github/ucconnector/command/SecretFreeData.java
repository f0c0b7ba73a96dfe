package io.github.ucconnector.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.ucconnector.api.model.ConversationAgentAuth;
import io.github.ucconnector.api.model.ConversationMultimediaUploadUrl;

/**
 * The data of the outcome events of commands whose results hold secrets. Fields are copied by allow-list, so a
 * field UltraCart adds later (perhaps another token) never reaches the events topic; the full results go only to
 * the private reply topic (the private reply).
 */
final class SecretFreeData {

    private SecretFreeData() {
    }

    /** The object key only: the presigned {@code url} lets anyone upload, so it is left out. */
    static Map<String, Object> uploadUrl(ConversationMultimediaUploadUrl upload) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("key", upload.key());
        return data;
    }

    /**
     * Who was authorized, and with which roles: no {@code jwt}, no {@code pbx_*} token or identity, no
     * {@code websocket_url}.
     */
    static Map<String, Object> agentIdentity(ConversationAgentAuth auth) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversation_participant_arn", auth.conversationParticipantArn());
        data.put("conversation_participant_name", auth.conversationParticipantName());
        data.put("merchant_id", auth.merchantId());
        data.put("user_id", auth.userId());
        data.put("chat_admin", auth.chatAdmin());
        data.put("chat_user", auth.chatUser());
        data.put("pbx_admin", auth.pbxAdmin());
        data.put("pbx_supervisor", auth.pbxSupervisor());
        data.put("pbx_user", auth.pbxUser());
        data.values().removeIf(Objects::isNull);
        return data;
    }
}
