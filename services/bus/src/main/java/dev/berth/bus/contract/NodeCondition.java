package dev.berth.bus.contract;

/** Whether the controller considers a node alive (it heartbeats within the grace period). */
public enum NodeCondition { Ready, NotReady }
