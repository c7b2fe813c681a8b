package dev.orderflow.bench;

import java.util.Map;

/**
 * What each process of the suite cost in one step, from /proc; null where the process was not found.
 * Process names are those of {@link SuiteProcesses}.
 *
 * @param cpuMsPerOrder processor time (user and system) spent while the step was sending, per order sent,
 *     by process, and "suite": the three services, the broker and PostgreSQL with its backends, the bench
 *     left out
 * @param rssMib resident memory (VmRSS) when the step ended, of the services, the broker and the bench
 * @param serviceAgesAtStartSeconds how long each service's process had been running when the step began
 */
record ProcessFigures(
        Map<String, Double> cpuMsPerOrder, Map<String, Double> rssMib, Map<String, Double> serviceAgesAtStartSeconds) {}
