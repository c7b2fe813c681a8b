package dev.orderflow.bench;

import java.util.Map;

/**
 * What each process of the suite cost in one step, from /proc; null where the process was not found.
 * Process names are those of {@link SuiteProcesses}.
 *
 * @param cpuMsPerOrder processor time (user and system) spent while the step was sending, per order sent,
 *     by part (every instance of a service, every broker), and "suite": the three services, the brokers
 *     and PostgreSQL with its backends, the bench left out
 * @param rssMib resident memory (VmRSS) when the step ended, of the services, the brokers and the bench; of
 *     a part with several processes, its largest
 * @param serviceAgesAtStartSeconds how long each service's process (of several instances, the youngest) had
 *     been running when the step began
 * @param jitMsPerOrder of each service's processor time per order, what its JIT compiler threads spent
 */
record ProcessFigures(
        Map<String, Double> cpuMsPerOrder,
        Map<String, Double> rssMib,
        Map<String, Double> serviceAgesAtStartSeconds,
        Map<String, Double> jitMsPerOrder) {}
