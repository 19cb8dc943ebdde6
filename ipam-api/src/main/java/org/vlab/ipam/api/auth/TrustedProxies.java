package org.vlab.ipam.api.auth;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;

/**
 * Tells the caller's address, to which version-2 tokens are bound: the socket's remote
 * address, or the last {@code X-Forwarded-For} entry when the socket peer is one of the
 * configured trusted proxies. Entries before the last are the client's own claims and are
 * never believed.
 */
final class TrustedProxies {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<LabNetwork> networks;

    TrustedProxies(List<LabNetwork> networks) {
        this.networks = List.copyOf(networks);
    }

    /** The caller's address in canonical text form, or null when it cannot be told. */
    String clientAddress(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null || remote.getAddress() == null) {
            return null;
        }
        InetAddress peer = remote.getAddress();
        if (isTrusted(peer)) {
            String forwarded = lastForwardedFor(request.getHeaders().getValuesAsList(FORWARDED_FOR));
            if (forwarded != null) {
                return canonical(forwarded);
            }
        }
        return peer.getHostAddress();
    }

    private boolean isTrusted(InetAddress peer) {
        if (!(peer instanceof Inet4Address)) {
            return false;
        }
        Ipv4Address address = Ipv4Address.parse(peer.getHostAddress());
        return networks.stream().anyMatch(network -> network.contains(address));
    }

    private static String lastForwardedFor(List<String> entries) {
        // getValuesAsList splits comma-separated values across all X-Forwarded-For headers, in order
        return entries.isEmpty() ? null : entries.get(entries.size() - 1).trim();
    }

    /**
     * An address literal in the form {@link InetAddress#getHostAddress()} writes, or null
     * when the text is no address literal. Never resolves a host name.
     */
    static String canonical(String literal) {
        if (literal == null) {
            return null;
        }
        String text = literal.trim();
        try {
            return Ipv4Address.parse(text).toString();
        } catch (IllegalArgumentException notIpv4) {
            // maybe IPv6, below
        }
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.indexOf(':') < 0 || !IPV6_LITERAL.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getHostAddress(); // a literal with ':' is parsed, not looked up
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
    }
}
