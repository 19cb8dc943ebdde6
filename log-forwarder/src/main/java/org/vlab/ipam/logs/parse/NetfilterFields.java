package org.vlab.ipam.logs.parse;

/**
 * The fields of a netfilter record that the contract carries, read from its {@code KEY=value}
 * tokens ({@code IN=ens160 OUT=ens192 MAC=... SRC=10.7.1.50 ... PROTO=TCP SPT=48884 DPT=3389 ...}).
 * The first occurrence of a key wins, and reading stops at the first bracket: an ICMP error
 * quotes the offending packet as {@code [SRC=... DST=... PROTO=UDP SPT=... DPT=...]}, whose
 * fields must not be taken for the record's own. Flags such as {@code DF} or {@code SYN} are
 * not carried.
 */
final class NetfilterFields {

    String in;
    String out;
    String src;
    String dst;
    String proto;
    String spt;
    String dpt;

    private NetfilterFields() {
    }

    /** The fields of the tokens from {@code from} on (where {@code IN=} starts). */
    static NetfilterFields read(String line, int from) {
        NetfilterFields fields = new NetfilterFields();
        int length = line.length();
        int i = from;
        while (i < length) {
            char first = line.charAt(i);
            if (first == ' ') {
                i++;
                continue;
            }
            if (first == '[') {
                break;
            }
            int end = line.indexOf(' ', i);
            if (end < 0) {
                end = length;
            }
            int equals = line.indexOf('=', i);
            if (equals > i && equals < end) {
                fields.take(line, i, equals, end);
            }
            i = end;
        }
        return fields;
    }

    private void take(String line, int keyStart, int keyEnd, int valueEnd) {
        switch (keyEnd - keyStart) {
            case 2:
                if (in == null && line.startsWith("IN", keyStart)) {
                    in = line.substring(keyEnd + 1, valueEnd);
                }
                break;
            case 3:
                if (out == null && line.startsWith("OUT", keyStart)) {
                    out = line.substring(keyEnd + 1, valueEnd);
                } else if (src == null && line.startsWith("SRC", keyStart)) {
                    src = line.substring(keyEnd + 1, valueEnd);
                } else if (dst == null && line.startsWith("DST", keyStart)) {
                    dst = line.substring(keyEnd + 1, valueEnd);
                } else if (spt == null && line.startsWith("SPT", keyStart)) {
                    spt = line.substring(keyEnd + 1, valueEnd);
                } else if (dpt == null && line.startsWith("DPT", keyStart)) {
                    dpt = line.substring(keyEnd + 1, valueEnd);
                }
                break;
            case 5:
                if (proto == null && line.startsWith("PROTO", keyStart)) {
                    proto = line.substring(keyEnd + 1, valueEnd);
                }
                break;
            default:
                break;
        }
    }
}
