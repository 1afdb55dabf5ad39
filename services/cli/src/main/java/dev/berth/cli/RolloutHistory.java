package dev.berth.cli;

/** {@code berth rollout history}: kubectl's REVISION CHANGE-CAUSE table, or one revision's pod template. */
final class RolloutHistory {
    private RolloutHistory() {}

    /** The history kept (revisionHistoryLimit old revisions and the current one); {@code revision} &gt; 0: that one's template. */
    static String render(ClusterView.DeploymentRow d, long revision) throws Rollouts.Refused {
        String ref = Rollouts.ref(d.spec.name());
        if (revision > 0) {
            ClusterView.Revision r = d.history().stream().filter(x -> x.number() == revision).findFirst().orElse(null);
            if (r == null) throw new Rollouts.Refused("unable to find the specified revision");
            return ref + " with revision #" + revision + "\nPod Template:\n" + DeploymentDescription.podTemplate(d.spec.name(), r.template());
        }
        if (d.history().isEmpty()) return "No rollout history found.\n";
        Table t = new Table("REVISION", "CHANGE-CAUSE");
        for (ClusterView.Revision r : d.history()) t.row(Long.toString(r.number()), r.changeCause() == null ? "<none>" : r.changeCause());
        return ref + "\n" + t.render();
    }
}
