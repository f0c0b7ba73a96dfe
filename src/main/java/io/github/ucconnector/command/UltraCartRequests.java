package io.github.ucconnector.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.ApiRequest;

/** Maps commands to Conversation API calls exactly as UltraCart's SDKs make them (see {@link Command#request}). */
public final class UltraCartRequests {

    private final ObjectMapper mapper;

    public UltraCartRequests(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ApiRequest requestFor(Command command) {
        return command.request(this::json);
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a request body", e);
        }
    }
}
