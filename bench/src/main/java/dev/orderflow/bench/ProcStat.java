package dev.orderflow.bench;

/**
 * The fields the bench uses of one {@code /proc/<pid>/stat} line (Linux, proc(5)); times in clock ticks.
 *
 * @param utime user time of the process, all its threads, the ended ones included
 * @param stime system time, likewise
 * @param cutime user time of the children it has waited for, their own waited-for children included
 * @param cstime system time of those
 * @param starttime when the process started, in clock ticks after the system booted
 */
record ProcStat(long pid, String comm, int ppid, long utime, long stime, long cutime, long cstime, long starttime) {

    static ProcStat parse(String line) {
        int open = line.indexOf('(');
        // The name is whatever the process called itself, spaces and parentheses included: only the last
        // parenthesis of the line closes it.
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("Not a /proc/<pid>/stat line: " + line);
        }
        // fields[0] is field 3 of proc(5), the state
        String[] fields = line.substring(close + 1).strip().split("\\s+");
        if (fields.length < 20) {
            throw new IllegalArgumentException("Too few fields in /proc/<pid>/stat: " + line);
        }
        return new ProcStat(
                Long.parseLong(line.substring(0, open).strip()),
                line.substring(open + 1, close),
                Integer.parseInt(fields[1]),
                Long.parseLong(fields[11]),
                Long.parseLong(fields[12]),
                Long.parseLong(fields[13]),
                Long.parseLong(fields[14]),
                Long.parseLong(fields[19]));
    }

    long ownTicks() {
        return utime + stime;
    }

    long ticksWithReapedChildren() {
        return utime + stime + cutime + cstime;
    }
}
