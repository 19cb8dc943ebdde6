package org.vlab.ipam.messaging;

import java.nio.charset.StandardCharsets;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.vlab.ipam.events.IpamJson;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MessageType;
import tools.jackson.core.JacksonException;

/**
 * Writes and reads {@link IpamMessage}s as JSON, naming the type in the AMQP {@code type}
 * property by its wire name. Anything it cannot read raises {@link MessageConversionException},
 * which Spring AMQP treats as fatal: the message is rejected to its dead-letter queue at once
 * instead of being redelivered, and the consumer carries on.
 */
public final class IpamMessageConverter implements MessageConverter {

    @Override
    public Message toMessage(Object object, MessageProperties properties) {
        EncodedMessage encoded;
        if (object instanceof EncodedMessage written) {
            encoded = written;
        } else if (object instanceof IpamMessage message) {
            encoded = EncodedMessage.of(message);
        } else {
            throw new MessageConversionException("only IpamMessage records (or their EncodedMessage) are sent; got "
                    + (object == null ? "null" : object.getClass().getName()));
        }
        properties.setType(MessageType.of(encoded.message()).wireName());
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setContentLength(encoded.body().length);
        return new Message(encoded.body(), properties);
    }

    @Override
    public IpamMessage fromMessage(Message message) {
        MessageProperties properties = message.getMessageProperties();
        String wireName = properties.getType();
        MessageType type = MessageType.fromWireName(wireName).orElseThrow(() -> new MessageConversionException(
                wireName == null ? "message has no type property" : "unknown message type '" + wireName + "'"));
        String contentType = properties.getContentType();
        if (contentType != null && !contentType.startsWith(MessageProperties.CONTENT_TYPE_JSON)) {
            throw new MessageConversionException(type.wireName() + " message has content type '" + contentType
                    + "', expected " + MessageProperties.CONTENT_TYPE_JSON);
        }
        try {
            return IpamJson.mapper().readValue(message.getBody(), type.javaType());
        } catch (JacksonException | IllegalArgumentException e) {
            throw new MessageConversionException("invalid " + type.wireName() + " message: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root instanceof JacksonException jackson ? jackson.getOriginalMessage() : root.getMessage();
        return text == null ? root.getClass().getSimpleName() : text;
    }
}
